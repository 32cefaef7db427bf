"""The official Python client (python3-kubernetes) against podgate: CRUD, a JSON-patch image
change and a watch (the client sends watch=True) that follows the rollout. Prints one JSON
summary; test/e2e/clients.test.ts moves the emulator's clock meanwhile and checks it."""
import json
import sys
import time

import urllib3
from kubernetes import client, config, watch

urllib3.disable_warnings()
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
NS, NAME = "default", "py"
out = {}


def wait_for(check, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        pod = v1.read_namespaced_pod(NAME, NS)
        if check(pod):
            return pod
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


created = v1.create_namespaced_pod(NS, {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": NAME, "labels": {"app": NAME}},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]},
})
out["created_uid"] = created.metadata.uid
wait_for(lambda p: p.status.phase == "Running", "Running")
listed = v1.list_namespaced_pod(NS, label_selector=f"app={NAME}")
out["listed"] = [p.metadata.name for p in listed.items]

patched = v1.patch_namespaced_pod(NAME, NS, [
    {"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.27"},
])
out["patched_image"] = patched.spec.containers[0].image

seen = []
w = watch.Watch()
for event in w.stream(v1.list_namespaced_pod, NS, resource_version=listed.metadata.resource_version,
                      field_selector=f"metadata.name={NAME}", timeout_seconds=60):
    pod = event["object"]
    statuses = pod.status.container_statuses or []
    image = statuses[0].image if statuses else None
    seen.append({"type": event["type"], "phase": pod.status.phase, "image": image,
                 "reason": pod.status.reason})
    if pod.status.phase == "Running" and image == "nginx:1.27" and pod.status.reason is None:
        w.stop()
out["watch"] = seen

v1.delete_namespaced_pod(NAME, NS)
out["deleted"] = True
print(json.dumps(out))
