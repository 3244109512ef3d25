#!/usr/bin/env python3
"""Generates the job-spec model from botocore's s3control CreateJob input shape.

Writes, so that the parser follows the API field for field:
  src/main/resources/io/github/s3batchspark/job/create-job-shape.json
      the shape tree (types, required members, unions, enums, lengths, patterns) that JobSpecValidator
      checks a job JSON against, plus our extensions (marked "extension": true);
  src/main/java/io/github/s3batchspark/job/spec/*.java
      one immutable record per structure, for typed access after validation.

Run it again after a botocore upgrade: python3 scripts/dev/generate-job-spec.py
"""
import json
import os
import re

import botocore
import botocore.session

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PKG = "io.github.s3batchspark.job.spec"
JAVA_DIR = os.path.join(ROOT, "src/main/java", *PKG.split("."))
RES = os.path.join(ROOT, "src/main/resources/io/github/s3batchspark/job/create-job-shape.json")

# Our additions beside the AWS fields; an AWS-valid JSON without them runs unchanged.
EXTENSIONS = {
    "ManifestFilter": {
        "type": "structure", "name": "ManifestFilter", "extension": True,
        "doc": "SQL filter over the manifest's (inventory) columns, applied before the job runs",
        "members": {"Where": {"type": "string", "name": "ManifestFilterWhere", "min": 1}},
        "required": ["Where"],
    },
    "DynamoDBManifest": {
        "type": "structure", "name": "DynamoDBManifest", "extension": True,
        "doc": "a DynamoDB table as the manifest, instead of Manifest or ManifestGenerator: one"
               " object per item, read by a parallel Scan on the executors",
        "members": {
            "TableName": {"type": "string", "name": "DynamoDBTableName", "min": 1, "max": 1024},
            "BucketAttribute": {"type": "string", "name": "DynamoDBAttributeName", "min": 1,
                                "max": 255},
            "KeyAttribute": {"type": "string", "name": "DynamoDBAttributeName", "min": 1,
                             "max": 255},
            "VersionIdAttribute": {"type": "string", "name": "DynamoDBAttributeName", "min": 1,
                                   "max": 255},
            "TotalSegments": {"type": "integer", "name": "DynamoDBTotalSegments", "min": 1,
                              "max": 1000000},
            "ItemsWithoutObject": {"type": "string", "name": "DynamoDBItemsWithoutObject",
                                   "enum": ["Fail", "Skip"]},
        },
        "required": ["TableName", "BucketAttribute", "KeyAttribute"],
    },
    "ReportTable": {
        "type": "structure", "name": "CatalogTable", "extension": True,
        "doc": "the catalog table (database.table) registered over the job's report table when"
               " the job ends, so that Spark SQL or Athena query it by name",
        "members": {"Name": {"type": "string", "name": "ReportTableName", "min": 1,
                             "max": 255,
                             "pattern": "^([A-Za-z0-9_]+\\.)?[A-Za-z0-9_]+$"}},
        "required": ["Name"],
    },
    "Notifications": {
        "type": "list", "name": "JobNotificationList", "extension": True, "min": 1, "max": 10,
        "doc": "where serve sends this job's status change events, beside its own --notify",
        "member": {
            "type": "structure", "name": "JobNotification", "extension": True,
            "doc": "one target of a job's status change events and the statuses it is told of",
            "members": {
                "Target": {"type": "string", "name": "JobNotificationTarget", "min": 1},
                "Events": {"type": "list", "name": "JobNotificationEvents", "min": 1,
                           "member": {"type": "string", "name": "JobStatus",
                                      "enum": ["Active", "Cancelled", "Cancelling", "Complete",
                                               "Completing", "Failed", "Failing", "New",
                                               "Paused", "Pausing", "Preparing", "Ready",
                                               "Suspended"]}},
            },
            "required": ["Target"],
        },
    },
}

# Operations beyond Amazon's list, as members of the Operation union beside AWS's own.
OPERATION_EXTENSIONS = {
    "S3DeleteObject": {
        "type": "structure", "name": "S3DeleteObjectOperation", "extension": True,
        "doc": "deletes the listed object or version, guarded by the ETag where one is given",
        "members": {}, "required": [],
    },
    "S3EmitEvent": {
        "type": "structure", "name": "S3EmitEventOperation", "extension": True,
        "doc": "publishes an S3 event notification for each object to one SQS queue, SNS topic"
               " or EventBridge bus",
        "members": {
            "EventName": {"type": "string", "name": "S3EventName", "min": 1,
                          "pattern": "^[A-Za-z]+:[A-Za-z*]+$"},
            "QueueArn": {"type": "string", "name": "SqsQueueArn",
                         "pattern": "^arn:[^:]+:sqs:[^:]*:[^:]*:.+$"},
            "TopicArn": {"type": "string", "name": "SnsTopicArn",
                         "pattern": "^arn:[^:]+:sns:[^:]*:[^:]*:.+$"},
            "EventBusArn": {"type": "string", "name": "EventBusArn",
                            "pattern": "^arn:[^:]+:events:[^:]*:[^:]*:event-bus/.+$"},
        },
        "required": [],
    },
    "JavaFunction": {
        "type": "structure", "name": "JavaFunctionOperation", "extension": True,
        "doc": "runs a class implementing io.github.s3batchspark.function.ObjectFunction on the "
               "executors, once per object",
        "members": {
            "ClassName": {"type": "string", "name": "JavaFunctionClassName", "min": 1},
            "UserArguments": {"type": "map", "name": "JavaFunctionUserArguments",
                              "key": {"type": "string", "name": "NonEmptyMaxLength64String",
                                      "min": 1, "max": 64},
                              "value": {"type": "string", "name": "MaxLength1024String",
                                        "max": 1024}},
            "TimeoutSeconds": {"type": "integer", "name": "JavaFunctionTimeoutSeconds",
                               "min": 1},
            "Threads": {"type": "integer", "name": "JavaFunctionThreads", "min": 1, "max": 1024},
        },
        "required": ["ClassName"],
    },
}

model = botocore.session.get_session().get_service_model("s3control")
records = {}


def export(shape):
    out = {"type": shape.type_name, "name": shape.name}
    for k in ("min", "max", "pattern"):
        if k in shape.metadata:
            out[k] = shape.metadata[k]
    if getattr(shape, "enum", None):
        out["enum"] = list(shape.enum)
    if shape.metadata.get("union"):
        # a union structure takes exactly one of its members (JobManifestGenerator, ...)
        out["union"] = True
    if shape.type_name == "structure":
        out["members"] = {n: export(m) for n, m in shape.members.items()}
        out["required"] = list(shape.required_members)
        records[shape.name] = shape
    elif shape.type_name == "list":
        out["member"] = export(shape.member)
    elif shape.type_name == "map":
        out["key"] = export(shape.key)
        out["value"] = export(shape.value)
    return out


def camel(name):
    # SSEAwsKmsKeyId -> sseAwsKmsKeyId, ID -> id, SSEKMS -> ssekms
    m = re.match(r"^([A-Z]+)(?=[A-Z][a-z]|$)", name)
    if m:
        head = m.group(1)
        return head.lower() + name[len(head):]
    return name[0].lower() + name[1:]


def java_type(shape):
    t = shape.type_name
    if t == "structure":
        return shape.name
    if t == "list":
        return "List<%s>" % java_type(shape.member)
    if t == "map":
        return "Map<String, %s>" % java_type(shape.value)
    return {"string": "String", "boolean": "Boolean", "integer": "Integer", "long": "Long",
            "timestamp": "Instant"}[t]


def write_record(shape, extra=()):
    comps = []
    imports = {"com.fasterxml.jackson.annotation.JsonProperty",
               "com.fasterxml.jackson.annotation.JsonInclude", "java.io.Serializable"}
    for n, m in list(shape.members.items()) + list(extra):
        jt = java_type(m)
        if "List<" in jt:
            imports.add("java.util.List")
        if "Map<" in jt:
            imports.add("java.util.Map")
        if "Instant" in jt:
            imports.add("java.time.Instant")
        comps.append('    @JsonProperty("%s") %s %s' % (n, jt, camel(n)))
    doc = "The s3control API shape {@code %s}, generated from botocore by scripts/dev/generate-job-spec.py." % shape.name
    body = ["// Generated by scripts/dev/generate-job-spec.py from botocore %s; do not edit." % botocore.__version__,
            "package %s;" % PKG, ""]
    body += ["import %s;" % i for i in sorted(imports)]
    body += ["", "/** %s */" % doc, "@JsonInclude(JsonInclude.Include.NON_NULL)",
             "public record %s(" % shape.name, ",\n".join(comps) + ") implements Serializable {", "}", ""]
    with open(os.path.join(JAVA_DIR, shape.name + ".java"), "w") as f:
        f.write("\n".join(body))


class Ext:
    """A botocore-like shape for an extension structure."""
    def __init__(self, d):
        self.name = d["name"]
        self.type_name = d["type"]
        self.members = {n: Ext(v) for n, v in d.get("members", {}).items()}
        self.metadata = {}
        if "value" in d:
            self.key = Ext(d["key"])
            self.value = Ext(d["value"])
        if "member" in d:
            self.member = Ext(d["member"])


root = model.operation_model("CreateJob").input_shape
tree = export(root)
tree["members"].update(EXTENSIONS)
tree["members"]["Operation"]["members"].update(OPERATION_EXTENSIONS)
os.makedirs(os.path.dirname(RES), exist_ok=True)
with open(RES, "w") as f:
    json.dump({"botocore": botocore.__version__, "shape": tree}, f, indent=1, sort_keys=True)

os.makedirs(JAVA_DIR, exist_ok=True)
for old in os.listdir(JAVA_DIR):
    if old.endswith(".java"):
        os.remove(os.path.join(JAVA_DIR, old))
operation = root.members["Operation"]
for name, shape in records.items():
    if name == root.name:
        continue
    if name == operation.name:
        write_record(shape, extra=[(n, Ext(v)) for n, v in OPERATION_EXTENSIONS.items()])
    else:
        write_record(shape)
for ext in list(EXTENSIONS.values()) + list(OPERATION_EXTENSIONS.values()):
    # a list extension is written as the record of its member structure
    write_record(Ext(ext["member"] if ext["type"] == "list" else ext))
write_record(root, extra=[(n, Ext(v)) for n, v in EXTENSIONS.items()])
print("wrote %d records and %s" % (len(records) + len(EXTENSIONS) + len(OPERATION_EXTENSIONS), os.path.relpath(RES, ROOT)))
