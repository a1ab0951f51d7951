"""A language server spoken to over stdio as an editor does (JSON-RPC with LSP's framing).

For asking ``pyright-langserver --stdio`` (what Pylance and most editors run) what it shows a
person: a hover, completions, signature help. The server's own requests are answered as an
editor would: ``workspace/configuration`` with the Python interpreter to resolve imports
through, anything else with null.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

# What the client says it can show: markdown everywhere, documentation resolved on demand.
CAPABILITIES = {
    "textDocument": {
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {
            "completionItem": {
                "documentationFormat": ["markdown", "plaintext"],
                "resolveSupport": {"properties": ["documentation", "detail"]},
            }
        },
        "signatureHelp": {
            "signatureInformation": {
                "documentationFormat": ["markdown", "plaintext"],
                "parameterInformation": {"labelOffsetSupport": True},
            }
        },
    },
    "workspace": {"configuration": True},
}


class LanguageServer:
    """One server process on ``root``, resolving imports through ``python``."""

    def __init__(self, command: list[str], root: Path, python: Path, timeout: float = 120) -> None:
        self.python = str(python)
        self.timeout = timeout
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._answers: dict[int, dict[str, Any]] = {}
        self._next_id = 0
        self._done = threading.Condition()
        self._write_lock = threading.Lock()
        assert self.proc.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": CAPABILITIES,
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            },
        )
        self.notify("initialized", {})

    def open(self, path: Path) -> dict[str, str]:
        """Open ``path`` as an editor buffer; returns its ``textDocument`` identifier."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "python",
                    "version": 1,
                    "text": path.read_text(),
                }
            },
        )
        return {"uri": uri}

    def at(self, method: str, document: dict[str, str], line: int, column: int) -> Any:
        """``method`` (``textDocument/hover``...) at a zero-based line and column: its result."""
        return self.request(
            method, {"textDocument": document, "position": {"line": line, "character": column}}
        )

    def request(self, method: str, params: Any) -> Any:
        with self._done:
            self._next_id += 1
            id_ = self._next_id
        self._send({"jsonrpc": "2.0", "id": id_, "method": method, "params": params})
        with self._done:
            if not self._done.wait_for(lambda: id_ in self._answers, timeout=self.timeout):
                raise TimeoutError(f"{method}: no answer in {self.timeout} s")
            answer = self._answers.pop(id_)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except (OSError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> LanguageServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.proc.stdin is not None
        with self._write_lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers: dict[str, str] = {}
            while line := stream.readline():
                if not line.strip():
                    break
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            if "content-length" not in headers:
                return  # the server closed its output
            message = json.loads(stream.read(int(headers["content-length"])))
            if "method" in message and "id" in message:
                self._answer_server(message)
            elif "id" in message:
                with self._done:
                    self._answers[message["id"]] = message
                    self._done.notify_all()

    def _answer_server(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            result = [
                {"pythonPath": self.python} if item.get("section") == "python" else None
                for item in message["params"]["items"]
            ]
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
