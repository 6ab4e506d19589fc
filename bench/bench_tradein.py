"""Burst benchmark of the trade-in engine on a real PostgreSQL (see docs/tradein-operations.md).

`tradein_figures()` runs this file again under scripts/pg-test-server.sh (a throw-away PostgreSQL
cluster; as root it belongs to the `postgres` user) and reads the figures it writes. Inside:

1. migrate an empty database; create a programme with a budget and a voucher window of quota
   5,000 (BURST_QUOTA) for one category, and a merchant with an API token;
2. start the web app with gunicorn (GUNICORN_WORKERS processes × GUNICORN_THREADS threads);
3. fire BURST_RESIDENTS residents (more than the quota; every BURST_TWICE-th sends twice) from
   BURST_CLIENTS concurrent client threads, each with its own keep-alive HTTP connection, at the
   public voucher claim API:
   - tradein.burst.claims_per_s: answered claim requests per second (issued or refused) over the burst
   - tradein.burst.p50_ms / p99_ms: the requests' latency as the clients saw it
   - tradein.burst.issued: live vouchers of the window afterwards (counted in the database)
   - tradein.burst.quota: the window's quota
   - tradein.burst.duplicates: people with two or more live vouchers of the category (must be 0)
4. approve claims concurrently (APPROVAL_THREADS threads through the approval service) against a
   budget just large enough for half of them:
   - tradein.burst.overspend_yuan: reserved + paid beyond what was released (must be 0)
5. merchant batches of 1,000 claims through the API (BATCHES batches, one after the other):
   - tradein.batch.claims_per_s
6. the baseline against the same server: pgbench (-c 16, -j 2, PGBENCH_SECONDS each) with a
   custom script of one budget-row update plus one claim insert per transaction:
   - tradein.pgbench.sharded_tps: the row picked at random among 16
   - tradein.pgbench.hot_tps: always the same row

Standalone: `.venv/bin/python bench/bench_tradein.py` prints the figures.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
BURST_QUOTA = 5000
BURST_RESIDENTS = 6000
BURST_TWICE = 10  # every tenth resident sends the same claim twice
BURST_CLIENTS = 24
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 4
APPROVAL_CLAIMS = 200
APPROVAL_THREADS = 8
BATCHES = 3
BATCH_SIZE = 1000
PGBENCH_SECONDS = 10
PGBENCH_CLIENTS = 16


# ---------------------------------------------------------------------------------------------
# Outside: run this file under a throw-away PostgreSQL server.


def tradein_figures() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="liangxin-bench-tradein-") as tmp:
        out = Path(tmp) / "figures.json"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("LIANGXIN_", "DJANGO_"))}
        env.update(
            LIANGXIN_HOME=tmp,
            LIANGXIN_MEDIA_ROOT=str(Path(tmp) / "media"),
            LIANGXIN_SECRET_KEY="liangxin-bench-only-secret-key",
            LIANGXIN_DEBUG="0",
            LIANGXIN_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SETTINGS_MODULE="liangxin.config.settings",
        )
        subprocess.run(
            [
                str(ROOT / "scripts" / "pg-test-server.sh"),
                sys.executable,
                str(Path(__file__).resolve()),
                "--inside",
                str(out),
            ],
            cwd=tmp,
            env=env,
            check=True,
        )
        return json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Inside: LIANGXIN_DATABASE_URL points at the throw-away server.


def _pg_params() -> dict:
    url = urlparse(os.environ["LIANGXIN_DATABASE_URL"])
    return {
        "host": url.hostname,
        "port": str(url.port),
        "user": url.username,
        "password": url.password,
        "db": url.path.lstrip("/"),
    }


def _pgbench_bin() -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), key=lambda p: int(p.parent.parent.name))
    if candidates:
        return str(candidates[-1])
    found = shutil.which("pgbench")
    if not found:
        sys.exit("bench: pgbench is missing (postgresql's server package provides it)")
    return found


PGBENCH_SETUP = """
DROP TABLE IF EXISTS bench_budget, bench_claim;
CREATE TABLE bench_budget (id integer PRIMARY KEY, balance numeric(14, 2) NOT NULL);
INSERT INTO bench_budget SELECT g, 100000000 FROM generate_series(1, 16) g;
CREATE TABLE bench_claim (id bigserial PRIMARY KEY, bucket integer NOT NULL, amount numeric(12, 2) NOT NULL,
                          created_at timestamptz NOT NULL DEFAULT now());
"""
PGBENCH_SCRIPT = """\\set b {pick}
BEGIN;
UPDATE bench_budget SET balance = balance - 500.00 WHERE id = :b;
INSERT INTO bench_claim (bucket, amount) VALUES (:b, 500.00);
END;
"""


def pgbench_tps(rows: int, workdir: Path) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(PGBENCH_SETUP)
    script = workdir / f"pgbench-{rows}.sql"
    script.write_text(PGBENCH_SCRIPT.format(pick="random(1, 16)" if rows == 16 else "1"), encoding="utf-8")
    pg = _pg_params()
    result = subprocess.run(
        [
            _pgbench_bin(),
            "-n",
            "-c",
            str(PGBENCH_CLIENTS),
            "-j",
            "2",
            "-T",
            str(PGBENCH_SECONDS),
            "-f",
            str(script),
            "-h",
            pg["host"],
            "-p",
            pg["port"],
            "-U",
            pg["user"],
            pg["db"],
        ],
        env={**os.environ, "PGPASSWORD": pg["password"]},
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", result.stdout)
    if not match:
        sys.exit(f"bench: pgbench printed no tps:\n{result.stdout}\n{result.stderr}")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_budget, bench_claim")
    return float(match.group(1))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The web app under gunicorn (or `liangxin runserver --noreload` when gunicorn is missing)."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed in stop()
        gunicorn = VENV_BIN / "gunicorn"
        if gunicorn.exists():
            self.kind = f"gunicorn {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads"
            command = [
                str(gunicorn),
                "liangxin.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(GUNICORN_WORKERS),
                "--threads",
                str(GUNICORN_THREADS),
                "--backlog",
                "2048",
                "--keep-alive",
                "30",
            ]
        else:
            self.kind = "liangxin runserver --noreload"
            command = [str(VENV_BIN / "liangxin"), "runserver", "--noreload", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=os.environ.copy())

    def wait_ready(self, path: str) -> None:
        import http.client

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"bench: the server stopped; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.3)
        sys.exit("bench: the server did not answer within a minute")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def fire(port: int, requests: list[tuple[str, str, dict, bytes]], clients: int) -> tuple[float, list[float], list]:
    """Send the requests (method, path, headers, body) from `clients` threads, each on its own
    keep-alive connection; the wall time, every latency (s) and every (status, body)."""
    import http.client

    latencies: list[float] = [0.0] * len(requests)
    answers: list = [None] * len(requests)
    cursor = iter(range(len(requests)))
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start_gate.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            method, path, headers, body = requests[index]
            started = time.perf_counter()
            for attempt in range(3):
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    payload = response.read()
                    break
                except (http.client.HTTPException, OSError):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    if attempt == 2:
                        raise
            latencies[index] = time.perf_counter() - started
            answers[index] = (response.status, payload)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, answers


def inside(out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    workdir = Path(os.environ["LIANGXIN_HOME"])
    figures = []
    figures += burst_figures(workdir)
    sharded = pgbench_tps(16, workdir)
    hot = pgbench_tps(1, workdir)
    figures += [
        {"name": "tradein.pgbench.sharded_tps", "value": round(sharded, 1), "unit": "tps"},
        {"name": "tradein.pgbench.hot_tps", "value": round(hot, 1), "unit": "tps"},
    ]
    out.write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")


def _identity(n: int) -> str:
    import datetime

    from liangxin.core.idcodes import resident_id_from

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 20000)
    return resident_id_from(f"120113{birth:%Y%m%d}{n // 20000 % 1000:03d}")


def _setup():
    """The place, two programmes (the burst's with vouchers, one for the approvals), the merchant."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from liangxin.core.idcodes import uscc_from
    from liangxin.core.services import jurisdiction_ensure_path
    from liangxin.tradein.services.budget import budget_create, budget_release
    from liangxin.tradein.services.merchants import merchant_account_create, merchant_register
    from liangxin.tradein.services.programmes import programme_create, ruleset_load
    from liangxin.tradein.services.vouchers import voucher_window_create

    place = jurisdiction_ensure_path(path="天津市/北辰区")
    today = timezone.localdate()
    rules = ruleset_load(2026)
    programmes = []
    for name, vouchers in (("burst", True), ("approvals", False)):
        programme = programme_create(
            actor=None,
            jurisdiction=place,
            name=f"bench {name}",
            year=today.year,
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=60),
            rules=rules,
            uses_vouchers=vouchers,
        )
        programmes.append(programme)
    burst, approvals = programmes
    budget_release(actor=None, budget=budget_create(actor=None, programme=burst), amount=Decimal("100000000"))
    # Just enough for half of the approvals: 450 yuan each (a 3,000 yuan washer at 15 %).
    budget_release(
        actor=None, budget=budget_create(actor=None, programme=approvals), amount=Decimal(450 * APPROVAL_CLAIMS // 2)
    )
    now = timezone.now()
    window = voucher_window_create(
        actor=None,
        programme=burst,
        category="phone",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1),
        daily_quota=BURST_QUOTA,
        valid_days=7,
    )
    merchant, _ = merchant_register(
        actor=None,
        jurisdiction=place,
        uscc=uscc_from("91120113MA05BENCH"),
        name="bench merchant",
        account_name="bench merchant",
        account_no="6222020000000009999",
        bank_name="bank",
    )
    user = merchant_account_create(actor=None, merchant=merchant, username="bench_merchant", password="bench-only-pw-1")
    token = Token.objects.create(user=user)
    return burst, approvals, window, merchant, token.key


def _washer(n: int, today) -> dict:
    return {
        "idempotency_key": f"bench-{n}",
        "buyer_name": "买家",
        "buyer_id": _identity(100000 + n),
        "buyer_phone": f"139{n:08d}",
        "category": "washer",
        "product_model": "BENCH-W1",
        "energy_grade": 1,
        "serial_number": f"SN-{n:08d}",
        "purchased_on": today.isoformat(),
        "price_paid": "2550.00",
        "subsidy": "450.00",
        "invoice_no": f"INV{n:010d}",
        "delivery_address": f"天津市北辰区果园新村街{n}号",
        "device_id": f"dev-{n}",
        "recycler_handover_no": f"HS{n:08d}",
    }


def _burst(server: Server, window) -> dict:
    import random

    rng = random.Random(20260301)
    residents = list(range(BURST_RESIDENTS))
    requests = []
    for n in residents:
        body = json.dumps(
            {"window": window.pk, "name": "居民", "identity_number": _identity(n), "phone": f"138{n:08d}"}
        ).encode()
        request = ("POST", "/api/public/vouchers/claim/", {"Content-Type": "application/json"}, body)
        requests.append(request)
        if n % BURST_TWICE == 0:
            requests.append(request)
    rng.shuffle(requests)
    wall, latencies, answers = fire(server.port, requests, BURST_CLIENTS)
    statuses: dict[int, int] = {}
    for status, _payload in answers:
        statuses[status] = statuses.get(status, 0) + 1
    unexpected = {s: c for s, c in statuses.items() if s not in (201, 409)}
    if unexpected:
        print(f"bench: unexpected answers in the burst: {unexpected}", file=sys.stderr)
    return {
        "requests": len(requests),
        "wall": wall,
        "p50": _percentile(latencies, 0.50) * 1000,
        "p99": _percentile(latencies, 0.99) * 1000,
        "statuses": statuses,
    }


def _approvals(approvals) -> float:
    """Claims reviewed, then approved from APPROVAL_THREADS threads at once against a budget that
    pays half of them; the yuan reserved or paid beyond what was released (must be 0)."""
    from decimal import Decimal

    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from liangxin.core.services import DomainError
    from liangxin.tradein.enums import ClaimState
    from liangxin.tradein.models import Budget, Claim, Merchant
    from liangxin.tradein.services.budget import budget_check
    from liangxin.tradein.services.claims import claim_submit, claim_transition

    merchant = Merchant.objects.get(name="bench merchant")
    today = timezone.localdate()
    claims = []
    for n in range(APPROVAL_CLAIMS):
        data = _washer(500000 + n, today)
        key = data.pop("idempotency_key")
        data["purchased_on"] = today
        data["price_paid"], data["subsidy"] = Decimal(data["price_paid"]), Decimal(data["subsidy"])
        claim = claim_submit(actor=None, merchant=merchant, programme=approvals, idempotency_key=key, data=data).claim
        for state in (ClaimState.ACCEPTED, ClaimState.REVIEWED):
            claim = claim_transition(actor=None, claim=claim, to_state=state)
        claims.append(claim)
    chunks = [claims[i::APPROVAL_THREADS] for i in range(APPROVAL_THREADS)]
    gate = threading.Barrier(APPROVAL_THREADS)

    def approve(chunk):
        gate.wait()
        try:
            for claim in chunk:
                try:
                    claim_transition(actor=None, claim=claim, to_state=ClaimState.APPROVED)
                except DomainError:
                    pass  # the budget is used up: refused, nothing reserved
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    budget = Budget.objects.get(programme=approvals)
    approved = Claim.objects.filter(programme=approvals, state=ClaimState.APPROVED).aggregate(s=Sum("subsidy"))["s"]
    overspend = max(Decimal(0), (approved or Decimal(0)) - budget.released)
    if budget_check(budgets=[budget]):
        print("bench: the approvals' ledger does not add up", file=sys.stderr)
    print(
        f"bench: {Claim.objects.filter(programme=approvals, state=ClaimState.APPROVED).count()} of "
        f"{APPROVAL_CLAIMS} approvals went through against {budget.released} yuan",
        file=sys.stderr,
    )
    return float(overspend)


def _batches(server: Server, burst, token: str) -> float:
    from django.utils import timezone

    today = timezone.localdate()
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
    requests = []
    for b in range(BATCHES):
        rows = [_washer(b * BATCH_SIZE + i, today) for i in range(BATCH_SIZE)]
        requests.append(
            (
                "POST",
                "/api/tradein/claims/batch/",
                headers,
                json.dumps({"programme": burst.pk, "claims": rows}).encode(),
            )
        )
    wall, _latencies, answers = fire(server.port, requests, 1)
    accepted = 0
    for status, payload in answers:
        if status != 200:
            sys.exit(f"bench: a claim batch answered {status}: {payload[:500]!r}")
        accepted += json.loads(payload)["accepted"]
    if accepted != BATCHES * BATCH_SIZE:
        print(f"bench: only {accepted} of {BATCHES * BATCH_SIZE} batch claims were accepted", file=sys.stderr)
    return accepted / wall


def burst_figures(workdir: Path) -> list[dict]:
    from django.db import connections
    from django.db.models import Count

    from liangxin.tradein.enums import VoucherState
    from liangxin.tradein.models import Voucher

    burst, approvals, window, _merchant, token = _setup()
    connections.close_all()
    server = Server(workdir)
    try:
        server.wait_ready("/api/public/budgets/")
        print(f"bench: web app under {server.kind} on port {server.port}", file=sys.stderr)
        result = _burst(server, window)
        batch_rate = _batches(server, burst, token)
    finally:
        server.stop()
    live = Voucher.objects.filter(window=window, state=VoucherState.LIVE)
    issued = live.count()
    duplicates = (
        Voucher.objects.filter(programme=burst, category=window.category, state=VoucherState.LIVE)
        .values("person_hash")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    overspend = _approvals(approvals)
    print(f"bench: burst answers {result['statuses']}", file=sys.stderr)
    return [
        {"name": "tradein.burst.claims_per_s", "value": round(result["requests"] / result["wall"], 1), "unit": "req/s"},
        {"name": "tradein.burst.p50_ms", "value": round(result["p50"], 2), "unit": "ms"},
        {"name": "tradein.burst.p99_ms", "value": round(result["p99"], 2), "unit": "ms"},
        {"name": "tradein.burst.issued", "value": issued, "unit": "vouchers"},
        {"name": "tradein.burst.quota", "value": window.daily_quota, "unit": "vouchers"},
        {"name": "tradein.burst.duplicates", "value": duplicates, "unit": "people"},
        {"name": "tradein.burst.overspend_yuan", "value": overspend, "unit": "yuan"},
        {"name": "tradein.batch.claims_per_s", "value": round(batch_rate, 1), "unit": "claims/s"},
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--inside":
        sys.path.insert(0, str(ROOT / "src"))
        inside(Path(sys.argv[2]))
    else:
        for figure in tradein_figures():
            print(f"{figure['name']:<32} {figure['value']} {figure['unit']}")
