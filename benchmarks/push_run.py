"""The push benchmarks' parts of ``make bench`` (``--only push-ingest``, ``push-latency``,
``fleet``): run them, print their figures (BENCHMARKS.md, "Orders by push", records them)."""

import os

from benchmarks.harness import machine, start_loopback, stop

PARTS = ("push-ingest", "push-latency", "fleet")


def add_arguments(parser) -> None:
    group = parser.add_argument_group("push (--only push-ingest, push-latency, fleet)")
    group.add_argument("--rate", type=float, default=1000.0, help="notifications/s offered")
    group.add_argument("--seconds", type=float, default=20.0, help="seconds of offered load")
    group.add_argument("--web-workers", type=int, default=5, help="gunicorn -w (file: 3)")
    group.add_argument(
        "--web-conn-max-age", type=int, default=60, help="gunicorn's CONN_MAX_AGE (production: 60)"
    )
    group.add_argument("--load-processes", type=int, default=2)
    group.add_argument("--load-threads", type=int, default=16, help="per load process")
    group.add_argument("--orders", type=int, default=300, help="push-latency: orders timed")
    group.add_argument("--push-rate", type=float, default=10.0, help="push-latency: orders/s")
    group.add_argument("--api-latency-ms", type=float, default=50.0, help="loopback's API")
    group.add_argument("--accounts", type=int, default=100_000, help="fleet: integrations")
    group.add_argument("--minutes", type=float, default=10.0, help="fleet: steady state")
    group.add_argument("--loss", type=float, default=0.01, help="fleet: pushes never sent")
    group.add_argument("--per-account-hour", type=float, default=1.0, help="fleet: orders")
    group.add_argument("--no-push", action="store_true", help="fleet: polling only")


def run(args, only: set[str]) -> None:
    print(f"# Push benchmarks — {machine()}, load average {os.getloadavg()[0]:.2f}")
    loop, loop_url = start_loopback(args.api_latency_ms)
    try:
        if "push-ingest" in only:
            _ingest(args, loop_url)
        if "push-latency" in only:
            from benchmarks.push_latency import bench_latency, report

            report(args, bench_latency(args, loop_url))
        if "fleet" in only:
            from benchmarks.fleet import bench_fleet, report

            report(args, bench_fleet(args, loop_url, loop.pid))
    finally:
        stop(loop)


def _ingest(args, loop_url: str) -> None:
    from benchmarks.push_ingest import bench_durability, bench_ingest

    figures = bench_ingest(args)
    ceiling, paced = figures["ceiling"], figures["paced"]
    print(
        f"\n## Push ingest: gunicorn -w {args.web_workers} (sync), CONN_MAX_AGE="
        f"{args.web_conn_max_age}, load: {args.load_processes} processes x "
        f"{args.load_threads} threads (Mercado Livre 70 %, Shopee signed 30 %, 10 % duplicates)"
    )
    print(
        f"- closed loop (as fast as answered), {args.seconds / 2:g} s: "
        f"{ceiling['rate']:,.0f} notifications/s, p50 {ceiling['p50']:.1f} ms, "
        f"p99 {ceiling['p99']:.1f} ms, statuses {ceiling['statuses']}"
    )
    print(
        f"- offered {args.rate:,.0f}/s for {args.seconds:g} s: answered {paced['rate']:,.0f}/s, "
        f"p50 {paced['p50']:.1f} ms, p95 {paced['p95']:.1f} ms, p99 {paced['p99']:.1f} ms, "
        f"max {paced['max']:.0f} ms (from the moment each was due); statuses {paced['statuses']}"
        f" (target ≥ 1,000/s with p99 ≤ 50 ms)"
    )
    print(
        f"- acknowledged (2xx) distinct notifications {len(paced['acked']):,}, rows "
        f"{figures['rows']:,}, acknowledged without a row: {figures['missing']}"
    )
    cpu = figures["cpu"]
    print(
        f"- CPU per notification: {sum(cpu.values()):.2f} ms in all (on {os.cpu_count()} CPUs): "
        + ", ".join(f"{party} {ms:.2f} ms" for party, ms in cpu.items())
        + " (the load generator's own not counted)"
    )
    from benchmarks.push_phases import bench_phases

    print("- one notification in-process, median of 2000 (where the time goes):")
    for label, micros in bench_phases().items():
        print(f"    {label}: {micros:,.0f} µs")
    durable = bench_durability(args, loop_url)
    paced = durable["paced"]
    killed = durable["killed_with"]
    print(
        f"\n## Push durability: {paced['sent']:,} notifications at {args.rate:,.0f}/s "
        f"(Mercado Livre and Magalu, 1 in 10 twice), the draining worker killed with kill -9 "
        f"at {killed['at_s']:.1f} s ({killed['pending']} pending, {killed['claimed']} claimed), "
        f"started again {args.seconds / 3:.1f} s later"
    )
    print(
        f"- acknowledged distinct {len(paced['acked']):,}, rows {durable['rows']:,}, "
        f"acknowledged without a row: {durable['missing']}; statuses {paced['statuses']}"
    )
    print(
        f"- all settled: {durable['settled']} ({durable['drained_after_s']:.1f} s after the "
        f"burst); states {durable['states']}; orders in the hub {durable['orders']:,} of "
        f"{durable['distinct_orders']:,} acknowledged"
    )
