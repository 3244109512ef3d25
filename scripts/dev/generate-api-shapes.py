#!/usr/bin/env python3
"""Exports what the s3control REST API server needs from botocore's model.

Writes src/main/resources/io/github/s3batchspark/api/s3control-api.json: for each job operation
that `s3batch serve` answers, its HTTP method and request URI, where each input member travels
(header, uri, querystring, or the XML body), and every shape the XML bodies use, with the XML
names botocore reads and writes (locationName: SSE-KMS for SSEKMS, ObjectEncryption for a list
member). The server walks these shapes to read and write XML, so that its answers parse in
botocore and in the AWS SDKs member for member.

Run it again after a botocore upgrade: python3 scripts/dev/generate-api-shapes.py
"""
import json
import os

import botocore
import botocore.session

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RES = os.path.join(ROOT, "src/main/resources/io/github/s3batchspark/api/s3control-api.json")
OPERATIONS = ["CreateJob", "DescribeJob", "ListJobs", "UpdateJobPriority", "UpdateJobStatus",
              "GetJobTagging", "PutJobTagging", "DeleteJobTagging"]

model = botocore.session.get_session().get_service_model("s3control")
shapes = {}


def reference(shape):
    """A member's or list element's reference: its shape and, when it differs, its XML name."""
    ref = {"shape": shape.name}
    for key in ("location", "name", "flattened"):
        if key in shape.serialization:
            ref["locationName" if key == "name" else key] = shape.serialization[key]
    export(shape)
    return ref


def export(shape):
    if shape.name in shapes:
        return
    out = {"type": shape.type_name}
    shapes[shape.name] = out
    if shape.type_name == "structure":
        out["members"] = {n: reference(m) for n, m in shape.members.items()}
    elif shape.type_name == "list":
        out["member"] = reference(shape.member)
        if shape.serialization.get("flattened"):
            out["flattened"] = True
    elif shape.type_name == "map":
        out["key"] = reference(shape.key)
        out["value"] = reference(shape.value)


operations = {}
for name in OPERATIONS:
    op = model.operation_model(name)
    operations[name] = {"method": op.http["method"], "requestUri": op.http["requestUri"],
                        "input": op.input_shape.name,
                        "output": op.output_shape.name if op.output_shape else None,
                        "errors": [e.name for e in op.error_shapes]}
    export(op.input_shape)
    if op.output_shape:
        export(op.output_shape)

with open(RES, "w") as f:
    json.dump({"botocore": botocore.__version__,
               "xmlNamespace": model.operation_model("CreateJob").input_shape
                   .serialization["xmlNamespace"]["uri"],
               "operations": operations, "shapes": shapes}, f, indent=1, sort_keys=True)
    f.write("\n")
