"""`make bench`: the token keeper's figures, printed (BENCHMARKS.md explains and records them).

Needs PostgreSQL (a database whose name contains "bench": its tables are emptied) and Redis.
Starts two loopback token endpoints (benchmarks/loopback.py: the configured latency, and 0 ms)
and one Celery worker process. Run it through ``scripts/run-bench.sh``.
"""

import argparse
import os

from benchmarks import push_run
from benchmarks.clients import bench_authlib_loop, bench_bare_loop
from benchmarks.harness import ROOT, machine, migrated_bench_database, start_loopback, stop
from benchmarks.keeper import bench_selection, bench_serial, bench_sweep
from benchmarks.keeper_data import reset_tables


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Token keeper benchmarks")
    parser.add_argument("--n", type=int, default=2000, help="due integrations for the sweep")
    parser.add_argument("--concurrency", type=int, default=8, help="worker concurrency")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads"])
    parser.add_argument("--latency-ms", type=float, default=50.0, help="added token latency")
    parser.add_argument("--serial", type=int, default=200, help="refreshes timed one by one")
    parser.add_argument("--rows", type=int, default=100_000, help="rows for the selection time")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="the worker's CONN_MAX_AGE (seconds)"
    )
    parser.add_argument(
        "--prefetch",
        type=int,
        default=None,
        help="worker --prefetch-multiplier (default: settings)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        help="the worker's log level (default INFO, as in production); its log: var/bench/",
    )
    parser.add_argument(
        "--task-batch",
        type=int,
        default=None,
        help="INTEGRATIONS_REFRESH_TASK_BATCH: due integrations per refresh task (default: settings)",
    )
    parser.add_argument(
        "--only",
        choices=["serial", "sweep", "selection", *push_run.PARTS],
        action="append",
        help="run only these (the push parts run only when named)",
    )
    push_run.add_arguments(parser)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    only = set(args.only or ["serial", "sweep", "selection"])
    if args.task_batch:  # read by the sweep here and by the worker it starts
        os.environ["INTEGRATIONS_REFRESH_TASK_BATCH"] = str(args.task_batch)
    loop, url = start_loopback(args.latency_ms)
    zero, zero_url = start_loopback(0)
    os.environ["MAGALU_TOKEN_URL"] = f"{url}/oauth/token"
    migrated_bench_database()
    from django.conf import settings

    from integrations import conf as keeper_conf

    reset_tables()
    latency = args.latency_ms / 1000
    print(f"# Token keeper benchmark — {machine()}")
    prefetch = args.prefetch or settings.CELERY_WORKER_PREFETCH_MULTIPLIER
    print(
        f"# N={args.n}, worker: {args.pool} x {args.concurrency}, prefetch {prefetch}, "
        f"latency {args.latency_ms:g} ms, CONN_MAX_AGE={args.conn_max_age}, "
        f"worker log level {args.log_level}, "
        f"{keeper_conf.refresh_task_batch()} due integration(s) per refresh task, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    try:
        if "serial" in only:
            serial = bench_serial(args, url, zero_url)
            print("\n## One refresh in-process (median of", args.serial, "runs)")
            for label, title in (("latency", f"+{args.latency_ms:g} ms"), ("zero", "+0 ms")):
                f = serial[label]
                print(
                    f"- endpoint {title}: service {f['service_ms']:.2f} ms, "
                    f"bare requests.post {f['post_ms']:.2f} ms "
                    f"(ratio {f['service_ms'] / f['post_ms']:.2f}x), "
                    f"bare session.post {f['session_ms']:.2f} ms "
                    f"(ratio {f['service_ms'] / f['session_ms']:.2f}x)"
                )
            f = serial["latency"]
            print(f"- SQL queries per refresh: {f['queries']} ({', '.join(f['sql'])})")
        if "sweep" in only:
            sweep = bench_sweep(args, url, loop.pid)
            bare = bench_bare_loop(args, url)
            authlib = bench_authlib_loop(args, url)
            ideal = args.concurrency / latency
            print(f"\n## Sweep throughput, N={args.n}")
            print(
                f"- sweep → Redis → worker: {sweep['rate']:.1f} refreshes/s "
                f"({sweep['elapsed_s']:.2f} s from the sweep's start to the last commit; "
                f"enqueueing took {sweep['enqueue_s']:.2f} s); "
                f"token requests {sweep['token_requests']}, invalid_grant {sweep['invalid_grant']}"
            )
            print(
                f"- steady state (first to last refresh): {sweep['steady_rate']:.1f}/s; "
                f"worker log: {sweep['log'].relative_to(ROOT)}"
            )
            cpu = sweep["cpu_ms_per_refresh"]
            total = sum(cpu.values())
            parts = ", ".join(f"{party} {ms:.2f} ms" for party, ms in cpu.items())
            print(
                f"- CPU per refresh: {total:.1f} ms in all (on {os.cpu_count()} CPUs, at most "
                f"{os.cpu_count() * 1000 / total:.0f}/s): {parts}"
            )
            print(f"- ideal (concurrency ÷ latency): {ideal:.1f}/s")
            print(f"- bare requests loop, {args.concurrency} threads: {bare['rate']:.1f}/s")
            print(
                f"- Authlib OAuth2Session.refresh_token loop, {args.concurrency} threads: "
                f"{authlib['rate']:.1f}/s"
            )
            print(
                f"- ratios: sweep/ideal {sweep['rate'] / ideal:.1%} "
                f"(steady {sweep['steady_rate'] / ideal:.1%}), "
                f"sweep/Authlib {sweep['rate'] / authlib['rate']:.2f}, "
                f"sweep/bare {sweep['rate'] / bare['rate']:.2f}, "
                f"Authlib/ideal {authlib['rate'] / ideal:.1%}, bare/ideal {bare['rate'] / ideal:.1%}"
            )
        if only & set(push_run.PARTS):
            push_run.run(args, only & set(push_run.PARTS))
        if "selection" in only:
            selection = bench_selection(args)
            print(f"\n## Selection with {selection['rows']:,} integrations")
            print(
                f"- {selection['due']} due ids in {selection['queries']} keyset queries: "
                f"median {selection['median_ms']:.1f} ms"
            )
            print("- plan of the first page:")
            for line in selection["plan"]:
                print(f"    {line}")
    finally:
        stop(loop)
        stop(zero)
        reset_tables()


if __name__ == "__main__":
    main()
