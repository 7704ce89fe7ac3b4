#!/usr/bin/env python3
"""An independent client of testdata-server, written with grpcio.

Usage: client.py HOST:PORT [--venv DIR]

Creates (or reuses) a virtualenv, installs grpcio, grpcio-tools, grpcio-health-checking and
grpcio-reflection from PyPI, generates stubs from proto/testdata/v1/test_data.proto with
`python -m grpc_tools.protoc`, then calls GenerateData, GenerateDataStream, GetSchemas,
HealthCheck, the grpc.health.v1 service and server reflection (v1alpha), asserting the answers.
Exits 0 when every check passes; prints what failed otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PROTO_DIR = os.path.join(ROOT, "proto")
PACKAGES = ["grpcio", "grpcio-tools", "grpcio-health-checking", "grpcio-reflection"]


def bootstrap(venv):
    """Re-runs this script inside a venv that has the packages."""
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    probe = "import grpc, grpc_tools, grpc_health, grpc_reflection"
    if subprocess.call([py, "-c", probe], stderr=subprocess.DEVNULL) != 0:
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PACKAGES])
    os.execv(py, [py, os.path.abspath(__file__), *sys.argv[1:], "--in-venv"])


def generate_stubs(out):
    subprocess.check_call([
        sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_DIR}", f"--python_out={out}",
        f"--grpc_python_out={out}", os.path.join(PROTO_DIR, "testdata", "v1", "test_data.proto"),
    ])
    for d in ("testdata", os.path.join("testdata", "v1")):
        open(os.path.join(out, d, "__init__.py"), "a").close()
    sys.path.insert(0, out)


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"ok: {what}")


def run(target):
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
    from testdata.v1 import test_data_pb2 as pb
    from testdata.v1 import test_data_pb2_grpc as pbg

    channel = grpc.insecure_channel(target)
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = pbg.TestDataServiceStub(channel)

    # GenerateData: the old request shape, seeded; then the same seed again.
    req = pb.GenerateRequest(request_id="py-1", domain="ecommerce", entity="cart", count=5, seed=42)
    r = stub.GenerateData(req, timeout=10)
    check(r.success and r.error == "", "GenerateData succeeds")
    check(r.request_id == "py-1", "request_id is echoed")
    data = json.loads(r.data)
    check(len(data) == 5 and r.record_count == 5, "5 records")
    check(all(d["_scenario"] == "default" for d in data), "_scenario on every record")
    check([d["_index"] for d in data] == list(range(5)), "_index 0..5")
    check(all(abs(d["total"] - round(d["subtotal"] + d["tax"], 2)) < 0.011 for d in data), "cart totals add up")
    check(r.metadata.generation_path == "traditional", "generation_path traditional")
    check(r.metadata.seed == 42, "seed returned")
    check(abs(r.metadata.coherence_score - 1.0) < 1e-6, "coherence_score 1.0")
    again = stub.GenerateData(req, timeout=10)
    check(again.data == r.data, "same seed, same bytes")
    # In-band errors, as the old service.
    big = stub.GenerateData(pb.GenerateRequest(entity="user", count=5000), timeout=10)
    check(not big.success and "exceeds max sync limit" in big.error, "count limit in-band")
    unknown = stub.GenerateData(pb.GenerateRequest(entity="nope", count=1), timeout=10)
    check(not unknown.success and "cart" in unknown.error, "unknown entity names the known ones")
    csv = stub.GenerateData(pb.GenerateRequest(entity="user", count=3, seed=1, output_format=pb.CSV), timeout=10)
    check(csv.success and len(csv.data.strip().splitlines()) == 4, "CSV: header + 3 rows")
    # Scenarios with overrides.
    sc = stub.GenerateData(pb.GenerateRequest(entity="order", count=4, seed=3, scenarios=[
        pb.Scenario(name="shipped", count=2, overrides={"status": "shipped"})]), timeout=10)
    rows = json.loads(sc.data)
    check(sc.success and [x["_scenario"] for x in rows] == ["shipped", "shipped", "default", "default"],
          "scenario records first, then default")
    check(dict(sc.metadata.scenario_counts) == {"shipped": 2, "default": 2}, "scenario_counts")

    # GenerateDataStream: chunks of batch_size, then an empty final chunk.
    chunks = list(stub.GenerateDataStream(pb.GenerateRequest(entity="user", count=120, seed=9, batch_size=50), timeout=30))
    check([c.chunk_index for c in chunks] == [0, 1, 2, 3], "chunk indexes 0..3")
    check(chunks[-1].is_final and chunks[-1].data == "", "final empty chunk")
    records = [x for c in chunks[:-1] for x in json.loads(c.data)]
    check(len(records) == 120 and records[119]["_index"] == 119, "120 streamed records")
    try:
        list(stub.GenerateDataStream(pb.GenerateRequest(entity="nope", count=3), timeout=10))
        check(False, "a bad stream fails")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.NOT_FOUND, "stream error is a gRPC status (NOT_FOUND)")

    # GetSchemas and HealthCheck.
    schemas = stub.GetSchemas(pb.GetSchemasRequest(domain="ecommerce"), timeout=10).schemas
    check(len(schemas) == 36, "36 schemas")
    cart = next(s for s in schemas if s.name == "cart")
    check(any(f.name == "cart_id" and f.example.startswith("CRT-") for f in cart.fields), "cart_id example")
    h = stub.HealthCheck(pb.HealthCheckRequest(), timeout=10)
    check(h.status == "healthy" and h.components["grpc_server"] == "healthy", "HealthCheck healthy")

    # grpc.health.v1.
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "testdata.v1.TestDataService"):
        st = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=10).status
        check(st == health_pb2.HealthCheckResponse.SERVING, f"grpc.health.v1 SERVING for '{service}'")

    # Reflection v1alpha: list the services.
    refl = reflection_pb2_grpc.ServerReflectionStub(channel)
    answers = list(refl.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=10))
    names = {s.name for a in answers for s in a.list_services_response.service}
    check("testdata.v1.TestDataService" in names and "grpc.health.v1.Health" in names,
          f"reflection lists the services ({sorted(names)})")
    print("all checks passed")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    if "--in-venv" not in sys.argv:
        venv = os.environ.get("TESTDATA_PY_VENV") or os.path.join(tempfile.gettempdir(), "testdata-py-venv")
        if "--venv" in sys.argv:
            venv = sys.argv[sys.argv.index("--venv") + 1]
            args = [a for a in args if a != venv]
        bootstrap(venv)
    with tempfile.TemporaryDirectory() as out:
        generate_stubs(out)
        run(args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
