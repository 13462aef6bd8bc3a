"""What an operator sees from outside: Prometheus metrics, readiness, heartbeats, error tracking."""
