"""`make bench`'s table says, for a scenario with an aim, whether this run met it."""

from bench.report import Row, cells
from bench.wrk import Result


def result(rate: float) -> Result:
    return Result(requests=int(rate * 5), rate=rate, p50_ms=1.0, p99_ms=2.0, bad_status=0,
                  socket_errors=0)


def test_each_aim_is_judged_against_the_bare_route_of_the_same_run():
    rows = [Row("bare", "ok", result=result(6000)),
            Row("lesson page", "ok", result=result(3000), aim=0.5),
            Row("quiz answer", "ok", "over the 2048 B aim", result=result(2000), aim=0.35),
            Row("sandbox /get", "ok", result=result(5900))]
    notes = {line[0]: (line[4], line[-1]) for line in cells(rows)}
    assert notes["lesson page"] == ("0.50", "aim 0.5: met")
    assert notes["quiz answer"] == ("0.33", "aim 0.35: not met over the 2048 B aim")
    assert notes["sandbox /get"] == ("0.98", "")


def test_an_aim_is_judged_on_the_ratio_as_shown():
    rows = [Row("bare", "ok", result=result(5413)),
            Row("quiz answer", "ok", result=result(1894), aim=0.35),  # 0.3499
            Row("progress update", "ok", result=result(1840), aim=0.35)]  # 0.3399
    notes = {line[0]: (line[4], line[-1]) for line in cells(rows)}
    assert notes["quiz answer"] == ("0.35", "aim 0.35: met")
    assert notes["progress update"] == ("0.34", "aim 0.35: not met")
