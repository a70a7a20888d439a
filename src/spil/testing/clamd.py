"""A stand-in for a ClamAV daemon (clamd) in tests: a socket server that speaks INSTREAM.

It unpacks the chunks as clamd does, keeps what it received (so a test can see the whole file was streamed) and
answers `stream: Eicar-Test-Signature FOUND` when the EICAR test string is in the stream, `stream: OK` otherwise;
`answer` forces another reply (e.g. clamd's size-limit error).
"""

import socket
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    def __init__(self):
        self.received: list[bytes] = []
        self.answer: bytes | None = None
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(10)
        self.address = "127.0.0.1:%d" % self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stopped = False
        self._thread.start()

    def _serve(self):
        while not self._stopped:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                self._handle(conn)

    def _handle(self, conn):
        stream = conn.makefile("rb")
        command = b""
        while not command.endswith(b"\0"):
            byte = stream.read(1)
            if not byte:
                return
            command += byte
        if command != b"zINSTREAM\0":
            conn.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            (length,) = struct.unpack("!L", stream.read(4))
            if length == 0:
                break
            data += stream.read(length)
        self.received.append(data)
        if self.answer is not None:
            conn.sendall(self.answer + b"\0")
        elif EICAR in data:
            conn.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            conn.sendall(b"stream: OK\0")

    def close(self):
        self._stopped = True
        self._server.close()
        self._thread.join(timeout=5)


def unreachable_address() -> str:
    """A local port nobody listens on."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"127.0.0.1:{port}"
