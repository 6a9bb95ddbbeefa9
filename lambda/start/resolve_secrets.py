"""The Python half of the cdk-mcp Lambda start wrapper (start.sh), for runtimes without Node.js.

Resolves CDK_MCP_SECRETS ({"NAME": "<secret ARN>[:<json key>:<version stage>:<version id>]"}) with
Secrets Manager GetSecretValue (AWS JSON 1.1, SigV4 with the function's credentials) and prints
`export NAME='value'` lines on stdout, which start.sh evals. Nothing else goes to stdout; a secret
that cannot be read prints one line naming the variable and the ARN on stderr and exits 1.
Standard library only. The same behaviour as resolve-secrets.js (lambda/start/secrets.ts).
https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
"""
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

PREFIX = "cdk-mcp start:"


class StartError(Exception):
    pass


def parse_specs(text):
    if not text:
        return []
    try:
        parsed = json.loads(text)
    except ValueError:
        raise StartError("CDK_MCP_SECRETS is not JSON: redeploy the service (the construct writes it).")
    if not isinstance(parsed, dict):
        raise StartError("CDK_MCP_SECRETS must be a JSON object of variable names to secret ARNs.")
    specs = []
    for name, reference in parsed.items():
        if not isinstance(reference, str) or not re.match(r"^arn:[^:]+:secretsmanager:", reference):
            raise StartError("secret for %s: %s is not a Secrets Manager ARN." % (name, json.dumps(reference)))
        parts = reference.split(":")
        rest = [p or None for p in parts[7:]] + [None, None, None]
        specs.append({"name": name, "reference": reference, "secret_id": ":".join(parts[:7]),
                      "json_key": rest[0], "version_stage": rest[1], "version_id": rest[2]})
    return specs


def failure(spec, why):
    return StartError("%s cannot set %s from secret %s: %s" % (PREFIX, spec["name"], spec["reference"], why))


def endpoint(env):
    override = env.get("AWS_ENDPOINT_URL_SECRETS_MANAGER")
    if override:
        return override if override.endswith("/") else override + "/"
    region = env.get("AWS_REGION", "")
    return "https://secretsmanager.%s.amazonaws.com%s/" % (region, ".cn" if region.startswith("cn-") else "")


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signed_headers(url, body, region, env, now):
    """SigV4 headers for a POST of `body` to `url` (service secretsmanager)."""
    parsed = urllib.parse.urlsplit(url)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    payload_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": parsed.netloc,
        "x-amz-content-sha256": payload_hash,
        "x-amz-date": amz_date,
        "x-amz-target": "secretsmanager.GetSecretValue",
    }
    if env.get("AWS_SESSION_TOKEN"):
        headers["x-amz-security-token"] = env["AWS_SESSION_TOKEN"]
    names = sorted(headers)
    canonical = "\n".join([
        "POST", parsed.path or "/", "",
        "".join("%s:%s\n" % (n, " ".join(headers[n].split())) for n in names),
        ";".join(names), payload_hash,
    ])
    scope = "%s/%s/secretsmanager/aws4_request" % (day, region)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(("AWS4" + env["AWS_SECRET_ACCESS_KEY"]).encode("utf-8"), day)
    for part in (region, "secretsmanager", "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        env["AWS_ACCESS_KEY_ID"], scope, ";".join(names), signature)
    return headers


def get_secret_value(spec, env, timeout=5):
    region = env.get("AWS_REGION")
    if not region or not env.get("AWS_ACCESS_KEY_ID") or not env.get("AWS_SECRET_ACCESS_KEY"):
        raise failure(spec, "no AWS credentials or AWS_REGION in the environment.")
    body = {"SecretId": spec["secret_id"]}
    if spec["version_stage"]:
        body["VersionStage"] = spec["version_stage"]
    if spec["version_id"]:
        body["VersionId"] = spec["version_id"]
    data = json.dumps(body)
    url = endpoint(env)
    now = datetime.datetime.now(datetime.timezone.utc)
    request = urllib.request.Request(url, data=data.encode("utf-8"), method="POST",
                                     headers=signed_headers(url, data, region, env, now))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        try:
            answer = json.loads(e.read().decode("utf-8"))
        except ValueError:
            answer = {}
        kind = str(answer.get("__type", "HTTP %d" % e.code)).split("#")[-1]
        message = answer.get("message") or answer.get("Message") or ""
        raise failure(spec, kind + (": " + message if message else ""))
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise failure(spec, str(getattr(e, "reason", e)))


def value_of(spec, answer):
    text = answer.get("SecretString")
    if not isinstance(text, str):
        raise failure(spec, "the secret has no string value (a binary secret cannot be an environment variable).")
    key = spec["json_key"]
    if key is None:
        return text
    try:
        obj = json.loads(text)
    except ValueError:
        raise failure(spec, 'the secret is not a JSON object, so it has no key "%s".' % key)
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None:
        raise failure(spec, 'the secret\'s JSON has no key "%s".' % key)
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def main():
    try:
        values = [(s["name"], value_of(s, get_secret_value(s, os.environ))) for s in parse_specs(os.environ.get("CDK_MCP_SECRETS"))]
    except StartError as e:
        message = str(e)
        sys.stderr.write((message if message.startswith(PREFIX) else PREFIX + " " + message) + "\n")
        return 1
    sys.stdout.write("".join("export %s='%s'\n" % (name, value.replace("'", "'\\''")) for name, value in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
