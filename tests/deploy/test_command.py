"""The `hyperlesson` command from a checkout (`python -m hyperlesson`): the teacher's
commands, the upkeep commands with their data folder, and waitress, the server that
`hyperlesson serve` uses on Windows (tested here, where it runs too)."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from hyperlesson import serving
from hyperlesson.command import main
from tests.conftest import REPOSITORY

from .test_two_servers import free_port, wait_until_up


def hyperlesson(*args: str, cwd: Path, timeout: float = 120,
                **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hyperlesson", *args], cwd=cwd,
                          env={**_clean_env(), **env}, capture_output=True, text=True,
                          timeout=timeout)


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("HYPERLESSON") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(REPOSITORY)  # the checkout's package, from any folder
    return env


def test_new_track_refuses_a_name_that_is_no_address_and_a_folder_in_use(tmp_path):
    runner = CliRunner()
    named = runner.invoke(main, ["new-track", str(tmp_path / "My Course")])
    assert named.exit_code == 2
    assert "may only use lowercase letters, digits and '-'" in named.output
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    used = runner.invoke(main, ["new-track", str(tmp_path / "used")])
    assert used.exit_code == 2 and "is not empty" in used.output
    assert (tmp_path / "used" / "notes.txt").read_text() == "mine"


def test_check_reports_a_broken_lesson_beside_the_starter_one(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["new-track", str(tmp_path / "course")]).exit_code == 0
    starter = (tmp_path / "course" / "first-lesson.md").read_text()
    # A lesson may link to the shipped track's lessons: they are served beside it.
    linked = starter.replace("order: 1", "order: 2\nrelated: [python-backend/http-basics]")
    (tmp_path / "course" / "second.md").write_text(linked.replace("title: Writing",
                                                                  "title: Again,"))
    assert runner.invoke(main, ["check", str(tmp_path)]).exit_code == 0
    (tmp_path / "course" / "third.md").write_text(starter.replace("order: 1", "order: 2"))
    broken = runner.invoke(main, ["check", str(tmp_path)])
    assert broken.exit_code == 1
    assert "third.md:3: duplicate order 2" in broken.output


def test_upkeep_commands_work_on_the_data_folder_given(tmp_path):
    """A school makes its teachers' accounts before the first `serve`."""
    data = tmp_path / "school-data"
    made = hyperlesson("users", "create-teacher", "rivera", "--data", str(data), cwd=tmp_path,
                       HYPERLESSON_NEW_PASSWORD="a long enough password")
    assert (made.returncode, made.stdout) == (0, "Created the teacher account rivera.\n")
    listed = hyperlesson("users", "list", "--data", str(data), cwd=tmp_path)
    assert listed.stdout.startswith("rivera\tteacher\t")
    elsewhere = hyperlesson("users", "list", cwd=tmp_path)  # ./hyperlesson-data: a new one
    assert (elsewhere.returncode, elsewhere.stdout) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hyperlesson-data", "school-data"]
    backed_up = hyperlesson("backup", str(tmp_path), "--data", str(data), cwd=tmp_path)
    assert backed_up.returncode == 0, backed_up.stderr
    assert len(list(tmp_path.glob("hyperlesson-*.db"))) == 1


def test_waitress_serves_pages_while_learners_wait_on_the_sandbox(tmp_path):
    """Windows' server: pages answer while eight sandbox delays are in flight."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "hyperlesson", "serve", "--server", "waitress", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=tmp_path, env=_clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        wait_until_up(url, server)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            delays = [pool.submit(requests.get, f"{url}/sandbox/delay/2", timeout=30)
                      for _ in range(8)]
            page = requests.get(f"{url}/learn/python-backend/http-basics", timeout=30)
            assert page.status_code == 200
            assert not any(delay.done() for delay in delays)  # the page did not queue
            assert [delay.result().status_code for delay in delays] == [200] * 8
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert f"On this computer: {url}/" in out
    assert "Traceback" not in err


@pytest.mark.parametrize(("host", "local", "network"), [
    ("127.0.0.1", ["http://127.0.0.1:8000/"], []),
    ("localhost", ["http://localhost:8000/"], []),
    ("192.168.4.20", [], ["http://192.168.4.20:8000/"]),
    ("::1", ["http://[::1]:8000/"], []),
])
def test_the_addresses_printed_for_a_host(host, local, network):
    assert serving.addresses(host, 8000) == (local, network)


def test_listening_everywhere_prints_this_computer_and_its_network_addresses(monkeypatch):
    monkeypatch.setattr(serving, "network_ips", lambda: ["10.0.0.7", "192.168.4.20"])
    assert serving.addresses("0.0.0.0", 8000) == (
        ["http://127.0.0.1:8000/"], ["http://10.0.0.7:8000/", "http://192.168.4.20:8000/"])


def test_network_ips_are_never_loopback_or_link_local():
    import ipaddress

    for ip in serving.network_ips():
        address = ipaddress.ip_address(ip)
        assert not (address.is_loopback or address.is_link_local)


def test_serve_says_when_its_port_is_taken(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = hyperlesson("serve", "--host", "127.0.0.1", "--port", str(port),
                              cwd=tmp_path)
    assert refused.returncode == 1
    assert f"Port {port} is in use on this computer" in refused.stderr
    assert f"--port {port + 1}" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # refused before making a data folder


def test_serve_refuses_a_lessons_folder_that_does_not_exist(tmp_path):
    """A mistyped --lessons served the shipped track alone, "yours from" a folder that
    is not there, and said nothing: the teacher's course was simply missing."""
    port = free_port()
    try:
        refused = hyperlesson("serve", "--host", "127.0.0.1", "--port", str(port),
                              "--lessons", str(tmp_path / "my-cuorse"), cwd=tmp_path,
                              timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("serve started on a lessons folder that does not exist")
    assert refused.returncode == 2
    assert "'--lessons'" in refused.stderr and "does not exist" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # refused before making a data folder


def test_serving_from_inside_a_track_says_where_to_start(tmp_path):
    """A teacher who runs `hyperlesson serve` in their track's own folder."""
    assert CliRunner().invoke(main, ["new-track", str(tmp_path / "course")]).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "hyperlesson", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--workers", "1", "--data", str(tmp_path / "data")],
        cwd=tmp_path / "course", env=_clean_env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server)
    finally:
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=30)
    assert f"is a track itself, not a folder of tracks: start from its parent, or add " \
           f"--lessons {tmp_path}." in out


@pytest.mark.parametrize("server", serving.SERVERS)
def test_serve_listens_on_the_sandbox_origin_of_its_own(tmp_path, server):
    """HYPERLESSON_SANDBOX_ORIGIN with --sandbox-port: the sandbox answers there only,
    and the lesson server's /sandbox/ sends browsers to it."""
    port, sandbox_port = free_port(), free_port()
    origin = f"http://127.0.0.1:{sandbox_port}"
    server_process = subprocess.Popen(
        [sys.executable, "-m", "hyperlesson", "serve", "--server", server, "--host",
         "127.0.0.1", "--port", str(port), "--sandbox-port", str(sandbox_port),
         "--workers", "1"],
        cwd=tmp_path, env={**_clean_env(), "HYPERLESSON_SANDBOX_ORIGIN": origin},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server_process)
        assert requests.get(f"{origin}/sandbox/get", timeout=10).status_code == 200
        moved = requests.get(f"http://127.0.0.1:{port}/sandbox/get", timeout=10,
                             allow_redirects=False)
        assert (moved.status_code, moved.headers["Location"]) == (308, f"{origin}/sandbox/get")
    finally:
        server_process.send_signal(signal.SIGINT)
        server_process.communicate(timeout=30)
