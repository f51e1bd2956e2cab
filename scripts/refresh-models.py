#!/usr/bin/env python3
"""Vendors the botocore service models Vigil serves into models/ and records their source version.

Run with the botocore whose models you want (`npm run models:refresh`). The files are never edited
by hand: the protocol layer reads them as they are.
"""
import gzip
import json
import os
import sys

import botocore

SERVICES = ["logs", "cloudwatch", "events", "cloudtrail", "sns", "sqs", "s3", "iam", "sts", "kinesis", "firehose"]

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")
data = os.path.join(os.path.dirname(botocore.__file__), "data")
rows = []
for name in SERVICES:
    versions = sorted(os.listdir(os.path.join(data, name)))
    version = versions[-1]
    src = os.path.join(data, name, version, "service-2.json")
    if os.path.exists(src):
        with open(src, "rb") as f:
            raw = f.read()
    else:
        with gzip.open(src + ".gz", "rb") as f:
            raw = f.read()
    model = json.loads(raw)
    with open(os.path.join(root, name + ".json"), "w") as f:
        json.dump(model, f, indent=1, sort_keys=False)
        f.write("\n")
    md = model["metadata"]
    rows.append(f"| {name} | {version} | {md.get('protocol')} | {', '.join(md.get('protocols', [md.get('protocol')]))} | {len(model['operations'])} |")

with open(os.path.join(root, "SOURCES.md"), "w") as f:
    f.write("# Vendored AWS service models\n\n")
    f.write(f"Copied from botocore {botocore.__version__} by `scripts/refresh-models.py`. Never edit by hand.\n\n")
    f.write("| service | API version | protocol | protocols | operations |\n|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print(f"vendored {len(rows)} models from botocore {botocore.__version__}", file=sys.stderr)
