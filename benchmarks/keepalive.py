"""A sender's connection to the hub, kept alive between notifications as a marketplace's sender
keeps it (the loopback marketplaces' sender and the push load generator both send this way)."""

import http.client
from urllib.parse import SplitResult


class KeptAlive:
    """POSTs over one HTTP/1.1 connection, opened again after the server closed it or failed."""

    def __init__(self, target: SplitResult, *, timeout: float):
        self.target, self.timeout = target, timeout
        self._connection: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        """The answer's status; 0 when none came (the next call opens a new connection)."""
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.target.hostname, self.target.port, timeout=self.timeout
                )
            self._connection.request(
                "POST", path, body=body, headers={**headers, "Host": self.target.netloc}
            )
            response = self._connection.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                self._connection.close()
                self._connection = None
            return response.status
        except OSError:
            self._connection = None
            return 0
