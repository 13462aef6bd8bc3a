"""gunicorn settings for production (docker-compose's web service uses them)."""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# %(U)s is the path without the query string: callbacks carry OAuth codes and states there.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
forwarded_allow_ips = "*"
