#!/usr/bin/env python3
"""A fake Coolify v4 API for box-console's tests (python3 stdlib only).

Faithful to ../shared/notes/coolify-api.md: bearer tokens with abilities, the
"<state>:<health>[:excluded]" status strings, Coolify's error shapes (401 Unauthenticated.,
404 "... not found.", 422 with string[] or string field errors), 429 with Retry-After,
phantom deployment uuids, preview twins of env vars, deletes that complete later and the
ports_exposes overwrite of Dockerfile apps.

Usage: fake_coolify.py [--port N] [--version 4.3.11]
Prints the listening port on the first line of stdout, then serves until killed.

Tokens (Authorization: Bearer <token>):
  1|root      root                      2|read     read
  3|write     write                     4|deploy   deploy
  5|rwd       read, write, deploy       6|sensitive read, read:sensitive, write, deploy
  9|expired   -> 401 Unauthenticated.   7|noteam   -> 401 Invalid token.

Control endpoints (no auth, JSON bodies), for tests to steer the quirks:
  POST /__control/reset                      fresh state
  POST /__control/version   {"version"}      what /version reports; gates version quirks
  POST /__control/status    {"uuid","status"} set an application's raw status string
  POST /__control/rate_limit {"count","retry_after"}   next N API requests get 429
  POST /__control/phantom   {"count"}        next N start/restart/deploy answer a uuid that
                                             is never stored (queue full)
  POST /__control/delete_delay {"polls"}     a deleted app stays visible for N more GETs
  POST /__control/deployment {"polls","outcome"}  polls until terminal; finished|failed
  POST /__control/api_disabled {"disabled"}
  POST /__control/sync                       the status sync after a deploy ("running:unhealthy"
                                             becomes healthy/unknown)
  POST /__control/app       {...}            insert an application as-is (existing boxes)
  POST /__control/log       {"uuid","append","reset"}  grow an application's container log:
                                             "append" is a list of lines; "reset": true first
                                             empties it (the container was replaced). Until
                                             then, and after every finished deployment, the
                                             log is five lines "box <name> line <i>".
  POST /__control/service_status {"uuid","status"}  set a service's raw status string
  POST /__control/server    {"uuid","ip","user","port"}  where a server's ssh is (engine tests)
  GET  /__control/state                      apps, envs, deployments, deletes, services
                                             (with "_compose": the compose as parsed from
                                             docker_compose_raw, and "_docker_compose": what
                                             Coolify's serviceParser makes of it, i.e. what it
                                             deploys), service_envs, service_deletes
  GET  /__control/requests                   log of API requests (method, path, query, body)
"""

import argparse
import base64
import binascii
import json
import os
import random
import re
import string
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKENS = {
    "1|root": ["root"],
    "2|read": ["read"],
    "3|write": ["write"],
    "4|deploy": ["deploy"],
    "5|rwd": ["read", "write", "deploy"],
    "6|sensitive": ["read", "read:sensitive", "write", "deploy"],
}
EXPIRED = {"9|expired"}
NO_TEAM = {"7|noteam"}

CREATE_COMMON = {
    "project_uuid", "server_uuid", "environment_name", "environment_uuid", "destination_uuid",
    "name", "description", "domains", "autogenerate_domain", "force_domain_override",
    "instant_deploy", "tags", "ports_exposes", "ports_mappings", "health_check_enabled",
    "health_check_path", "health_check_port", "health_check_host", "health_check_method",
    "health_check_return_code", "health_check_scheme", "health_check_response_text",
    "health_check_interval", "health_check_timeout", "health_check_retries",
    "health_check_start_period", "limits_memory", "limits_memory_swap",
    "limits_memory_swappiness", "limits_memory_reservation", "limits_cpus", "limits_cpuset",
    "limits_cpu_shares", "custom_labels", "custom_docker_run_options",
    "pre_deployment_command", "pre_deployment_command_container", "post_deployment_command",
    "post_deployment_command_container", "redirect", "is_force_https_enabled",
    "is_http_basic_auth_enabled", "http_basic_auth_username", "http_basic_auth_password",
    "connect_to_docker_network", "is_container_label_escape_enabled", "use_build_server",
    "use_build_secrets", "noindex_domains",
}
CREATE_IMAGE = CREATE_COMMON | {"docker_registry_image_name", "docker_registry_image_tag"}
CREATE_DOCKERFILE = CREATE_COMMON | {"dockerfile", "build_pack", "base_directory",
                                     "docker_registry_image_name", "docker_registry_image_tag"}
PATCH_REJECTED = {"project_uuid", "server_uuid", "environment_name", "github_app_uuid",
                  "destination_uuid", "dockerfile"}
PATCH_ALLOWED = (CREATE_COMMON - PATCH_REJECTED - {"instant_deploy", "autogenerate_domain", "tags"}) | {
    "docker_registry_image_name", "docker_registry_image_tag", "health_check_type",
    "health_check_command", "dockerfile_target_build", "static_image",
    "custom_network_aliases", "custom_nginx_configuration", "base_directory", "build_pack"}
ENV_FLAGS = ["is_preview", "is_literal", "is_multiline", "is_shown_once", "is_runtime",
             "is_buildtime"]
ENV_KEY_RE = re.compile(r"\A[A-Za-z_][A-Za-z0-9_.]*\Z")
PORTS_RE = re.compile(r"^(\d+)(,\d+)*$")
IMAGE_TAG_RE = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\Z")


class ApiError(Exception):
    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_uuid():
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(24))


def parse_version(text):
    m = re.match(r"v?(\d+)\.(\d+)\.(\d+)(?:-beta\.(\d+))?", text)
    if not m:
        return (4, 3, 11, 10**6)
    beta = int(m.group(4)) if m.group(4) else 10**6  # release sorts after its betas
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), beta)


def not_found(what):
    return ApiError(404, {"message": what})


def validation(errors=None, message="Validation failed."):
    body = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return ApiError(422, body)


class State:
    def __init__(self, version="4.3.11"):
        self.lock = threading.RLock()
        self.reset(version)

    def reset(self, version="4.3.11"):
        self.version = version
        self.next_id = 100
        self.servers = [
            {"uuid": "srv-main", "name": "main", "description": "box host", "ip": "10.0.0.5",
             "user": "root", "port": 22, "is_reachable": True, "is_usable": True,
             "settings": {"is_build_server": False, "is_reachable": True, "is_usable": True,
                          "concurrent_builds": 2, "deployment_queue_limit": 25,
                          "wildcard_domain": None}},
            {"uuid": "srv-build", "name": "builder", "description": None, "ip": "10.0.0.6",
             "user": "root", "port": 22, "is_reachable": True, "is_usable": True,
             "settings": {"is_build_server": True, "is_reachable": True, "is_usable": True,
                          "concurrent_builds": 2, "deployment_queue_limit": 25,
                          "wildcard_domain": None}},
            {"uuid": "srv-down", "name": "offline", "description": None, "ip": "10.0.0.7",
             "user": "root", "port": 22, "is_reachable": False, "is_usable": False,
             "settings": {"is_build_server": False, "is_reachable": False, "is_usable": False,
                          "concurrent_builds": 2, "deployment_queue_limit": 25,
                          "wildcard_domain": None}},
        ]
        self.projects = [
            {"id": 1, "uuid": "proj-boxes", "name": "boxes", "description": "agent boxes",
             "environments": [
                 {"id": 1, "uuid": "env-prod", "name": "production", "project_id": 1,
                  "description": None},
                 {"id": 2, "uuid": "env-staging", "name": "staging", "project_id": 1,
                  "description": None}]},
            {"id": 2, "uuid": "proj-other", "name": "other", "description": None,
             "environments": [
                 {"id": 3, "uuid": "env-other", "name": "production", "project_id": 2,
                  "description": None}]},
        ]
        self.apps = {}        # uuid -> app record (internal fields prefixed with _)
        self.envs = {}        # app uuid -> [env]
        self.deployments = {}  # deployment uuid -> record
        self.deletes = {}     # app uuid -> flags used
        self.requests = []
        self.rate_limit = {"count": 0, "retry_after": 1}
        self.phantom = 0
        self.delete_delay = 2
        self.deploy_polls = 2
        self.deploy_outcome = "finished"
        self.api_disabled = False
        self.services = {}          # uuid -> service record
        self.service_envs = {}      # service uuid -> [env]
        self.service_deletes = {}   # service uuid -> flags used

    def v(self):
        return parse_version(self.version)

    def at_least(self, major, minor, patch, beta=10**6):
        return self.v() >= (major, minor, patch, beta)

    def env_by(self, project, name_or_uuid):
        for env in project["environments"]:
            if env["uuid"] == name_or_uuid:
                return env
        for env in project["environments"]:
            if env["name"] == name_or_uuid and name_or_uuid not in ("environments", "envs"):
                return env
        return None

    def project_by(self, uuid):
        return next((p for p in self.projects if p["uuid"] == uuid), None)

    def server_by(self, uuid):
        return next((s for s in self.servers if s["uuid"] == uuid), None)


STATE = State()


def resolve_placement(body):
    """Project, environment and server of a create request (application or service), checked
    in the controllers' order."""
    if not body.get("environment_name") and not body.get("environment_uuid"):
        raise validation(None, "You need to provide at least one of environment_name or environment_uuid.")
    project = STATE.project_by(body["project_uuid"])
    if not project:
        raise not_found("Project not found.")
    env = STATE.env_by(project, body["environment_name"]) if body.get("environment_name") else None
    if env is None and body.get("environment_uuid"):
        env = STATE.env_by(project, body["environment_uuid"])
    if env is None:
        raise not_found("Environment not found.")
    server = STATE.server_by(body["server_uuid"])
    if not server:
        raise not_found("Server not found.")
    if server["settings"]["is_build_server"]:
        raise validation({"server_uuid": ["The specified server is configured as a build server and cannot host resources."]})
    return project, env, server


def public_app(app, sensitive):
    out = {k: v for k, v in app.items() if not k.startswith("_")}
    if not sensitive:
        for hidden in ("dockerfile", "custom_labels", "http_basic_auth_password"):
            out.pop(hidden, None)
    out.pop("id", None)
    return out


def public_env(env, sensitive):
    out = dict(env)
    if not sensitive or env.get("is_shown_once"):
        out["value"] = None
        out["real_value"] = None
    return out


def public_deployment(dep):
    return {k: v for k, v in dep.items() if not k.startswith("_")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-coolify"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    # ---- plumbing -------------------------------------------------------------------
    def send(self, status, body, headers=None, content_type="application/json"):
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
        else:
            data = str(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-RateLimit-Limit", "200")
        self.send_header("X-RateLimit-Remaining", "199")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def json_body(self, raw, required=True):
        if not raw:
            if required:
                raise ApiError(400, {"message": "Invalid request.", "error": "Empty JSON."})
            return {}
        ctype = self.headers.get("Content-Type", "")
        if "application/json" not in ctype:
            raise ApiError(400, {"message": "Invalid request.",
                                 "error": "Content-Type must be application/json."})
        try:
            body = json.loads(raw)
        except ValueError:
            raise ApiError(400, {"message": "Invalid request.", "error": "Invalid JSON."})
        if not isinstance(body, dict) or (required and not body):
            raise ApiError(400, {"message": "Invalid request.", "error": "Empty JSON."})
        return body

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PUT(self):
        self.dispatch("PUT")

    def dispatch(self, method):
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        raw = self.read_body()
        try:
            with STATE.lock:
                if path.startswith("/__control/"):
                    status, body = self.control(method, path[len("/__control/"):], raw)
                    self.send(status, body)
                    return
                if path in ("/api/health", "/api/v1/health"):
                    self.send(200, "OK", content_type="text/html; charset=UTF-8")
                    return
                if not path.startswith("/api/v1/"):
                    raise ApiError(404, {"message": "Not found.", "docs": "https://coolify.io/docs"})
                sub = path[len("/api/v1"):]
                STATE.requests.append({"method": method, "path": sub, "query": query,
                                       "body": raw.decode(errors="replace")})
                if STATE.rate_limit["count"] > 0:
                    STATE.rate_limit["count"] -= 1
                    retry = str(STATE.rate_limit["retry_after"])
                    raise ApiError(429, {"message": "Too Many Attempts."},
                                   {"Retry-After": retry, "X-RateLimit-Reset": retry})
                abilities = self.authenticate()
                status, body, extra = self.route(method, sub, query, raw, abilities)
                if isinstance(body, str):
                    self.send(status, body, extra, content_type="text/html; charset=UTF-8")
                else:
                    self.send(status, body, extra)
        except ApiError as e:
            self.send(e.status, e.body, e.headers)
        except Exception as e:  # a crash renders Laravel's generic 500
            sys.stderr.write("fake_coolify: %r\n" % (e,))
            self.send(500, {"message": "Server Error"})

    def authenticate(self):
        auth = self.headers.get("Authorization", "")
        token = auth[7:].strip() if auth.startswith("Bearer ") else ""
        if token in NO_TEAM:
            raise ApiError(401, {"message": "Invalid token."})
        if token not in TOKENS:
            raise ApiError(401, {"message": "Unauthenticated."})
        if STATE.api_disabled:
            raise ApiError(403, {"success": True, "message": "API is disabled."})
        return TOKENS[token]

    @staticmethod
    def need(abilities, *wanted):
        if "root" in abilities:
            return
        if not any(w in abilities for w in wanted):
            raise ApiError(403, {"message": "Missing required permissions: " + ", ".join(wanted)})

    @staticmethod
    def sensitive(abilities):
        return "root" in abilities or "read:sensitive" in abilities

    # ---- control ------------------------------------------------------------------------
    def control(self, method, name, raw):
        body = json.loads(raw) if raw else {}
        if method == "GET" and name == "state":
            return 200, {"version": STATE.version, "apps": STATE.apps, "envs": STATE.envs,
                         "deployments": STATE.deployments, "deletes": STATE.deletes,
                         "services": STATE.services, "service_envs": STATE.service_envs,
                         "service_deletes": STATE.service_deletes}
        if method == "GET" and name == "requests":
            return 200, STATE.requests
        if name == "reset":
            STATE.reset(body.get("version", "4.3.11"))
        elif name == "version":
            STATE.version = body["version"]
        elif name == "status":
            STATE.apps[body["uuid"]]["status"] = body["status"]
        elif name == "server":
            srv = STATE.server_by(body["uuid"])
            if not srv:
                return 404, {"message": "Server not found."}
            for field in ("ip", "user", "port", "name"):
                if field in body:
                    srv[field] = body[field]
        elif name == "service_status":
            STATE.services[body["uuid"]]["status"] = body["status"]
            STATE.services[body["uuid"]]["_polls"] = None
        elif name == "rate_limit":
            STATE.rate_limit = {"count": int(body.get("count", 1)),
                                "retry_after": body.get("retry_after", 1)}
        elif name == "phantom":
            STATE.phantom = int(body.get("count", 1))
        elif name == "delete_delay":
            STATE.delete_delay = int(body.get("polls", 2))
        elif name == "deployment":
            STATE.deploy_polls = int(body.get("polls", STATE.deploy_polls))
            STATE.deploy_outcome = body.get("outcome", STATE.deploy_outcome)
        elif name == "api_disabled":
            STATE.api_disabled = bool(body.get("disabled", True))
        elif name == "sync":
            for app in STATE.apps.values():
                self.sync_status(app)
        elif name == "app":
            app = self.new_app(body)
            return 201, {"uuid": app["uuid"]}
        elif name == "log":
            app = STATE.apps[body["uuid"]]
            log = [] if body.get("reset") else self.container_log(app)
            log.extend(str(line) for line in body.get("append", []))
            app["_log"] = log
            return 200, {"ok": True, "lines": len(log)}
        else:
            return 404, {"message": "unknown control " + name}
        return 200, {"ok": True}

    @staticmethod
    def container_log(app):
        if app["_log"] is None:
            return ["box %s line %d" % (app["name"], i) for i in range(1, 6)]
        return list(app["_log"])

    @staticmethod
    def sync_status(app):
        if app["status"] == "running:unhealthy" and app["_deployed"]:
            if app.get("health_check_enabled"):
                app["status"] = "running:healthy"
            elif STATE.at_least(4, 0, 0, 445):
                app["status"] = "running:unknown"

    # ---- routing ------------------------------------------------------------------------
    def route(self, method, path, query, raw, ab):
        seg = [s for s in path.split("/") if s]
        post_only = STATE.at_least(4, 2, 0)

        def action(allowed_get=True):
            # v4.2.0 made deploy/start/stop/restart POST-only.
            if method == "GET" and post_only:
                raise ApiError(405, {"message": "This endpoint has changed to a POST request."},
                               {"Allow": "POST"})
            if method not in ("POST", "GET") or (method == "GET" and not allowed_get):
                raise ApiError(405, {"message": "Method not allowed."})

        if seg == ["version"] and method == "GET":
            self.need(ab, "read")
            return 200, STATE.version, {}
        if seg == ["servers"] and method == "GET":
            self.need(ab, "read")
            return 200, [self.public_server(s) for s in STATE.servers], {}
        if len(seg) == 2 and seg[0] == "servers" and method == "GET":
            self.need(ab, "read")
            srv = STATE.server_by(seg[1])
            if not srv:
                raise not_found("Server not found.")
            return 200, self.public_server(srv), {}
        if seg == ["projects"] and method == "GET":
            self.need(ab, "read")
            return 200, [{"id": p["id"], "uuid": p["uuid"], "name": p["name"],
                          "description": p["description"]} for p in STATE.projects], {}
        if len(seg) >= 2 and seg[0] == "projects" and method == "GET":
            self.need(ab, "read")
            proj = STATE.project_by(seg[1])
            if not proj:
                raise not_found("Project not found.")
            if len(seg) == 2:
                out = dict(proj)
                out.update({"team_id": 0, "created_at": now(), "updated_at": now()})
                return 200, out, {}
            if len(seg) == 3 and seg[2] == "environments":
                return 200, [{"id": e["id"], "uuid": e["uuid"], "name": e["name"]}
                             for e in proj["environments"]], {}
            if len(seg) == 3:
                env = STATE.env_by(proj, seg[2])
                if not env:
                    raise not_found("Environment not found.")
                out = dict(env)
                out["applications"] = [public_app(a, False) for a in STATE.apps.values()
                                       if a["environment_id"] == env["id"]]
                for kind in ("postgresqls", "redis", "mongodbs", "mysqls", "mariadbs", "services"):
                    out[kind] = []
                return 200, out, {}
        if seg == ["applications"] and method == "GET":
            self.need(ab, "read")
            tag = query.get("tag")
            apps = [a for a in STATE.apps.values() if not tag or tag in a["_tags"]]
            return 200, [public_app(a, self.sensitive(ab)) for a in apps], {}
        if seg in (["applications", "dockerimage"], ["applications", "dockerfile"]) and method == "POST":
            self.need(ab, "write")
            return self.create(seg[1], self.json_body(raw))
        if len(seg) >= 2 and seg[0] == "applications":
            app = STATE.apps.get(seg[1])
            rest = seg[2:]
            if app is None or app.get("_gone"):
                if method == "GET":
                    self.need(ab, "read")
                raise not_found("Application not found")
            if not rest:
                if method == "GET":
                    self.need(ab, "read")
                    if app.get("_deleting") is not None:
                        app["_deleting"] -= 1
                        if app["_deleting"] < 0:
                            self.vanish(app)
                            raise not_found("Application not found")
                    out = public_app(app, self.sensitive(ab))
                    out["settings"] = {"is_static": False, "is_build_server_enabled": False}
                    return 200, out, {}
                if method == "PATCH":
                    self.need(ab, "write")
                    return self.update(app, self.json_body(raw))
                if method == "DELETE":
                    self.need(ab, "write")
                    return self.delete(app, query)
            if rest == ["envs"]:
                if method == "GET":
                    self.need(ab, "read")
                    return 200, [public_env(e, self.sensitive(ab))
                                 for e in self.ordered_envs(app)], {}
                if method == "POST":
                    self.need(ab, "write")
                    return self.env_create(app, self.json_body(raw))
            if rest == ["envs", "bulk"] and method == "PATCH":
                self.need(ab, "write")
                return self.env_bulk(app, self.json_body(raw), ab)
            if len(rest) == 2 and rest[0] == "envs" and method == "DELETE":
                self.need(ab, "write")
                envs = STATE.envs.get(app["uuid"], [])
                match = [e for e in envs if e["uuid"] == rest[1]]
                if not match:
                    raise not_found("Environment variable not found.")
                envs.remove(match[0])
                return 200, {"message": "Environment variable deleted."}, {}
            if rest in (["start"], ["restart"], ["stop"]):
                action()
                # start/stop/restart moved from write to deploy in beta.464.
                if STATE.at_least(4, 0, 0, 464):
                    self.need(ab, "deploy")
                else:
                    self.need(ab, "write")
                if rest == ["stop"]:
                    app["status"] = "exited:unhealthy"
                    return 200, {"message": "Application stopping request queued."}, {}
                restart = rest == ["restart"]
                dep_uuid = self.queue(app, force=self.truthy(query.get("force")), restart=restart)
                return 200, {"message": ("Restart request queued." if restart
                                         else "Deployment request queued."),
                             "deployment_uuid": dep_uuid}, {}
            if rest == ["logs"] and method == "GET":
                self.need(ab, "read")
                if not app["status"].startswith("running"):
                    raise ApiError(400, {"message": "Application is not running."})
                # docker logs -n <lines>: the newest lines, oldest first.
                lines = int(query.get("lines", "100"))
                logs = self.container_log(app)
                logs = logs[max(0, len(logs) - lines):] if lines > 0 else []
                return 200, {"logs": "\n".join(logs) + "\n"}, {}
        if seg and seg[0] == "services":
            return self.route_services(method, seg, query, raw, ab, action)
        if seg == ["deploy"]:
            action()
            self.need(ab, "deploy")
            uuids = [u for u in (query.get("uuid") or "").split(",") if u]
            found = [STATE.apps[u] for u in uuids if u in STATE.apps and not STATE.apps[u].get("_gone")]
            if not found:
                raise not_found("No resources found.")
            out = []
            for app in found:
                dep_uuid = self.queue(app, force=self.truthy(query.get("force"), legacy=True))
                out.append({"message": "Application %s deployment queued." % app["name"],
                            "resource_uuid": app["uuid"], "deployment_uuid": dep_uuid})
            return 200, {"deployments": out}, {}
        if seg == ["deployments"] and method == "GET":
            self.need(ab, "read")
            return 200, [public_deployment(d) for d in STATE.deployments.values()
                         if d["status"] in ("queued", "in_progress")], {}
        if len(seg) == 3 and seg[:2] == ["deployments", "applications"] and method == "GET":
            self.need(ab, "read")
            app = STATE.apps.get(seg[2])
            if app is None:
                raise not_found("Application not found.")
            deps = [d for d in STATE.deployments.values() if d["_app"] == app["uuid"]]
            for d in deps:
                self.advance(d)
            deps.sort(key=lambda d: d["_seq"], reverse=True)
            skip = int(query.get("skip", "0"))
            take = int(query.get("take", "10"))
            return 200, {"count": len(deps),
                         "deployments": [public_deployment(d) for d in deps[skip:skip + take]]}, {}
        if len(seg) == 2 and seg[0] == "deployments" and method == "GET":
            self.need(ab, "read")
            dep = STATE.deployments.get(seg[1])
            # beta.464–467 answered 404 for valid ids (#8925).
            buggy = STATE.at_least(4, 0, 0, 464) and not STATE.at_least(4, 0, 0, 468)
            if dep is None or buggy:
                raise not_found("Deployment not found.")
            self.advance(dep)
            return 200, public_deployment(dep), {}
        if len(seg) == 3 and seg[0] == "deployments" and seg[2] == "cancel" and method == "POST":
            self.need(ab, "deploy")
            dep = STATE.deployments.get(seg[1])
            if dep is None:
                raise not_found("Deployment not found.")
            if dep["status"] not in ("queued", "in_progress"):
                raise ApiError(400, {"message": "Deployment cannot be cancelled. Current status: "
                                                + dep["status"]})
            dep["status"] = "cancelled-by-user"
            dep["finished_at"] = now()
            return 200, {"message": "Deployment cancelled successfully.",
                         "deployment_uuid": dep["deployment_uuid"],
                         "status": "cancelled-by-user"}, {}
        raise ApiError(404, {"message": "Not found.", "docs": "https://coolify.io/docs"})

    @staticmethod
    def truthy(value, legacy=False):
        if value is None:
            return False
        # /deploy before v4.2.0 read any present force (even "false") as true.
        if legacy and not STATE.at_least(4, 2, 0):
            return True
        return value in ("1", "true", "on", "yes")

    @staticmethod
    def public_server(s):
        return dict(s)

    # ---- applications ---------------------------------------------------------------------
    def new_app(self, fields):
        STATE.next_id += 1
        app = {
            "id": STATE.next_id, "uuid": fields.get("uuid") or new_uuid(),
            "description": None, "name": "app-%d" % STATE.next_id, "fqdn": None,
            "status": "exited:unhealthy", "build_pack": "dockerimage",
            "git_repository": None, "git_branch": None,
            "docker_registry_image_name": None, "docker_registry_image_tag": "latest",
            "ports_exposes": "80", "ports_mappings": None, "environment_id": 1,
            "destination_id": 1, "destination_type": "App\\Models\\StandaloneDocker",
            "health_check_enabled": False, "health_check_path": "/",
            "health_check_port": None, "limits_memory": "0", "limits_memory_swap": "0",
            "limits_cpus": "0", "custom_docker_run_options": None, "restart_count": 0,
            "server_status": True, "created_at": now(), "updated_at": now(),
            "_tags": [], "_deployed": False, "_deleting": None, "_gone": False,
            "_log": None,
        }
        for k, v in fields.items():
            if k == "tags":
                app["_tags"] = list(v)
            elif k != "uuid":
                app[k] = v
        STATE.apps[app["uuid"]] = app
        STATE.envs.setdefault(app["uuid"], [])
        return app

    def create(self, kind, body):
        allowed = CREATE_IMAGE if kind == "dockerimage" else CREATE_DOCKERFILE
        unknown = {k: ["This field is not allowed."] for k in body if k not in allowed}
        if unknown:
            raise validation(unknown)
        errors = {}
        for field in ("project_uuid", "server_uuid"):
            if not isinstance(body.get(field), str) or not body.get(field):
                errors[field] = ["The %s field is required." % field.replace("_", " ")]
        if kind == "dockerimage":
            if not isinstance(body.get("docker_registry_image_name"), str) or not body.get("docker_registry_image_name"):
                errors["docker_registry_image_name"] = ["The docker registry image name field is required."]
            if not STATE.at_least(4, 2, 0) and "ports_exposes" not in body:
                errors["ports_exposes"] = ["The ports exposes field is required."]
            tag = body.get("docker_registry_image_tag")
            if tag is not None and (not isinstance(tag, str) or not IMAGE_TAG_RE.match(tag)):
                errors["docker_registry_image_tag"] = ["The docker registry image tag field format is invalid."]
        else:
            if not isinstance(body.get("dockerfile"), str) or not body.get("dockerfile"):
                errors["dockerfile"] = ["The dockerfile field is required."]
        if "ports_exposes" in body and not isinstance(body["ports_exposes"], str):
            errors["ports_exposes"] = ["The ports exposes field must be a string."]
        if "tags" in body:
            tags = body["tags"]
            if not isinstance(tags, list) or any(not isinstance(t, str) or len(t) < 2 for t in tags):
                errors["tags"] = ["Each tag must be a string of at least 2 characters."]
        for flag in ("autogenerate_domain", "instant_deploy", "health_check_enabled"):
            if flag in body and not isinstance(body[flag], bool):
                errors[flag] = ["The %s field must be true or false." % flag.replace("_", " ")]
        if errors:
            raise validation(errors)
        # String-form errors come from the controller's own checks after the rule set.
        if "ports_exposes" in body and not PORTS_RE.match(body["ports_exposes"]):
            raise validation({"ports_exposes": "The ports_exposes should be a comma separated list of numbers."})
        dockerfile_text = None
        if kind == "dockerfile":
            try:
                dockerfile_text = base64.b64decode(body["dockerfile"], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise validation({"dockerfile": "The dockerfile should be base64 encoded."})
        project, env, server = resolve_placement(body)
        domains = body.get("domains") or ""
        if domains and not body.get("force_domain_override"):
            wanted = {d.strip() for d in domains.split(",") if d.strip()}
            conflicts = []
            for other in STATE.apps.values():
                if other.get("_gone"):
                    continue
                for d in (other.get("fqdn") or "").split(","):
                    if d and d in wanted:
                        conflicts.append({"domain": d, "resource_name": other["name"],
                                          "resource_uuid": other["uuid"],
                                          "resource_type": "application",
                                          "message": "Domain %s is already in use by application '%s'" % (d, other["name"])})
            if conflicts:
                raise ApiError(409, {"message": "Domain conflicts detected. Use force_domain_override=true to proceed.",
                                     "warning": "Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.",
                                     "conflicts": conflicts})
        if not domains and body.get("autogenerate_domain", True):
            domains = "http://%s.10.0.0.5.sslip.io" % new_uuid()[:12]
        fields = {k: v for k, v in body.items()
                  if k not in ("project_uuid", "server_uuid", "environment_name",
                               "environment_uuid", "destination_uuid", "domains",
                               "autogenerate_domain", "force_domain_override", "instant_deploy")}
        fields["environment_id"] = env["id"]
        fields["fqdn"] = domains or None
        if kind == "dockerfile":
            fields["build_pack"] = "dockerfile"
            fields["git_repository"] = "coollabsio/coolify"
            fields["git_branch"] = "main"
            fields["dockerfile"] = dockerfile_text
            # get_port_from_dockerfile() reads the base64 text, finds no EXPOSE: 80 wins.
            fields["ports_exposes"] = "80"
        app = self.new_app(fields)
        if kind == "dockerimage":
            app["name"] = body.get("name") or "docker-image-%d" % app["id"]
        else:
            app["name"] = body.get("name") or "dockerfile-%d" % app["id"]
        if body.get("instant_deploy"):
            self.queue(app)
        return 201, {"uuid": app["uuid"], "domains": domains}, {}

    def update(self, app, body):
        errors = {k: ["This field is not allowed."] for k in body if k not in PATCH_ALLOWED}
        if errors:
            raise validation(errors)
        if "ports_exposes" in body:
            if not isinstance(body["ports_exposes"], str):
                raise validation({"ports_exposes": ["The ports exposes field must be a string."]})
            if not PORTS_RE.match(body["ports_exposes"]):
                raise validation({"ports_exposes": "The ports_exposes should be a comma separated list of numbers."})
        for k, v in body.items():
            if k == "domains":
                # Clearing with "" is sometimes ignored by the real server (#11116).
                if v:
                    app["fqdn"] = v
            else:
                app[k] = v
        app["updated_at"] = now()
        return 200, {"uuid": app["uuid"]}, {}

    def delete(self, app, query):
        flags = {}
        for name in ("delete_configurations", "delete_volumes", "docker_cleanup",
                     "delete_connected_networks"):
            value = query.get(name)
            if value is not None and value not in ("true", "false", "1", "0"):
                raise validation({name: ["The %s field must be true or false." % name.replace("_", " ")]})
            flags[name] = value  # None = not sent, the server then defaults to true
        STATE.deletes[app["uuid"]] = flags
        app["_deleting"] = STATE.delete_delay
        return 200, {"message": "Application deletion request queued."}, {}

    @staticmethod
    def vanish(app):
        app["_gone"] = True
        STATE.apps.pop(app["uuid"], None)
        STATE.envs.pop(app["uuid"], None)

    # ---- deployments -----------------------------------------------------------------------
    def queue(self, app, force=False, restart=False):
        dep_uuid = new_uuid()
        if STATE.phantom > 0:
            # queue_full is ignored by start/restart: the uuid is returned, never stored.
            STATE.phantom -= 1
            return dep_uuid
        active = [d for d in STATE.deployments.values()
                  if d["_app"] == app["uuid"] and d["status"] in ("queued", "in_progress")]
        if active and not force:
            # "skipped": same commit already queued; the fresh uuid is never persisted.
            return dep_uuid
        outcome = STATE.deploy_outcome
        if restart and not app["_deployed"]:
            outcome = "failed"  # restart cannot start a never-deployed app
        STATE.next_id += 1
        STATE.deployments[dep_uuid] = {
            "id": STATE.next_id, "application_id": str(app["id"]), "deployment_uuid": dep_uuid,
            "pull_request_id": 0, "force_rebuild": bool(force), "commit": "HEAD",
            "status": "queued", "is_webhook": False, "is_api": True, "restart_only": restart,
            "server_id": 0, "server_name": "main", "application_name": app["name"],
            "deployment_url": "/project/proj-boxes/environment/env-prod/application/%s/deployment/%s" % (app["uuid"], dep_uuid),
            "finished_at": None, "created_at": now(), "updated_at": now(),
            "_app": app["uuid"], "_polls": STATE.deploy_polls, "_outcome": outcome,
            "_seq": STATE.next_id,
        }
        return dep_uuid

    @staticmethod
    def advance(dep):
        if dep["status"] not in ("queued", "in_progress"):
            return
        dep["_polls"] -= 1
        if dep["_polls"] > 0:
            dep["status"] = "in_progress"
            return
        dep["status"] = dep["_outcome"]
        dep["finished_at"] = now()
        dep["updated_at"] = now()
        app = STATE.apps.get(dep["_app"])
        if app is None:
            return
        if dep["status"] == "finished":
            app["_deployed"] = True
            app["_log"] = None  # a new container, a new log
            # A successful deploy writes "running"; the sync fixes health a minute later.
            app["status"] = "running:unhealthy"
        else:
            app["status"] = "exited:unhealthy"

    # ---- env vars ---------------------------------------------------------------------------
    @staticmethod
    def ordered_envs(app):
        envs = STATE.envs.get(app["uuid"], [])
        return [e for e in envs if not e["is_preview"]] + [e for e in envs if e["is_preview"]]

    @staticmethod
    def make_env(app, item, preview):
        env = {"uuid": new_uuid(), "key": item["key"], "value": item.get("value", ""),
               "real_value": item.get("value", ""), "comment": item.get("comment"),
               "is_preview": preview, "is_shared": False, "is_required": False,
               "is_really_required": False, "is_buildpack_control": False, "is_coolify": False,
               "version": "4.0.0", "order": None, "created_at": now(), "updated_at": now(),
               "resourceable_type": "App\\Models\\Application"}
        for flag in ENV_FLAGS[1:]:
            default = flag in ("is_runtime", "is_buildtime")
            env[flag] = bool(item.get(flag, default))
        # Omitted flags reset: is_literal goes false, the rest follow the request loosely.
        return env

    def upsert_env(self, app, item):
        envs = STATE.envs.setdefault(app["uuid"], [])
        preview = bool(item.get("is_preview", False))
        existing = [e for e in envs if e["key"] == item["key"] and e["is_preview"] == preview]
        if existing:
            env = existing[0]
            fresh = self.make_env(app, item, preview)
            fresh["uuid"] = env["uuid"]
            fresh["created_at"] = env["created_at"]
            envs[envs.index(env)] = fresh
            return fresh
        env = self.make_env(app, item, preview)
        envs.append(env)
        if not preview and not any(e["key"] == item["key"] and e["is_preview"] for e in envs):
            envs.append(self.make_env(app, item, True))
        return env

    def env_validate(self, item, strict):
        if strict:
            allowed = {"key", "value", "comment"} | set(ENV_FLAGS)
            unknown = {k: ["This field is not allowed."] for k in item if k not in allowed}
            if unknown:
                raise validation(unknown)
        errors = {}
        if not isinstance(item.get("key"), str) or not ENV_KEY_RE.match(item.get("key", "")) or len(item["key"]) > 255:
            errors["key"] = ["The key field format is invalid."]
        if not isinstance(item.get("value"), str):
            errors["value"] = ["The value field must be a string."]
        for flag in ENV_FLAGS:
            if flag in item and not isinstance(item[flag], bool):
                errors[flag] = ["The %s field must be true or false." % flag.replace("_", " ")]
        if "comment" in item and item["comment"] is not None and (not isinstance(item["comment"], str) or len(item["comment"]) > 256):
            errors["comment"] = ["The comment field must not be greater than 256 characters."]
        if errors:
            raise validation(errors)

    def env_create(self, app, body):
        self.env_validate(body, strict=True)
        envs = STATE.envs.setdefault(app["uuid"], [])
        preview = bool(body.get("is_preview", False))
        if any(e["key"] == body["key"] and e["is_preview"] == preview for e in envs):
            raise ApiError(409, {"message": "Environment variable already exists. Use PATCH request to update it."})
        env = self.upsert_env(app, body)
        return 201, {"uuid": env["uuid"]}, {}

    def env_bulk(self, app, body, ab):
        data = body.get("data")
        if not isinstance(data, list):
            raise validation({"data": ["The data field is required."]})
        out = []
        for item in data:
            if not isinstance(item, dict):
                raise validation({"data": ["Each item must be an object."]})
            # Bulk drops unknown keys (version tolerance) and is not atomic.
            item = {k: v for k, v in item.items() if k in {"key", "value", "comment"} | set(ENV_FLAGS)}
            self.env_validate(item, strict=False)
            out.append(public_env(self.upsert_env(app, item), self.sensitive(ab)))
        return 201, out, {}



# ---- services (app/Http/Controllers/Api/ServicesController.php at 379abb2) ---------------
SERVICE_CREATE_ALLOWED = {"type", "name", "description", "project_uuid", "environment_name",
                          "environment_uuid", "server_uuid", "destination_uuid", "instant_deploy",
                          "docker_compose_raw", "urls", "force_domain_override",
                          "is_container_label_escape_enabled", "tags"}
SHELL_METACHARS = ["`", "$(", "${", "|", "&", ";", "\n", "\r", "\t", ">", "<"]
SERVICE_ENV_FIELDS = {"key", "value", "is_literal", "is_multiline", "is_shown_once", "comment"}


class YamlError(Exception):
    pass


def _yaml_scalar(text):
    text = text.strip()
    if text.startswith('"'):
        try:
            value, end = json.JSONDecoder().raw_decode(text)
        except ValueError:
            raise YamlError("bad double-quoted scalar: " + text)
        if text[end:].strip():
            raise YamlError("text after a quoted scalar: " + text)
        return value
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if text in ("null", "~", ""):
        return None
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*(e[-+]?\d+)?", text):
        return float(text)
    if text[0] in "[{'&*!|>%@`#":
        raise YamlError("unsupported YAML: " + text)
    return text


def _yaml_key(content):
    if content.startswith('"'):
        try:
            key, end = json.JSONDecoder().raw_decode(content)
        except ValueError:
            raise YamlError("bad quoted key: " + content)
        rest = content[end:]
    else:
        idx = content.find(":")
        if idx <= 0:
            raise YamlError("expected 'key:' in: " + content)
        key, rest = content[:idx].strip(), content[idx:]
    if not rest.startswith(":") or (len(rest) > 1 and rest[1] != " "):
        raise YamlError("expected ': ' after the key in: " + content)
    return key, rest[1:].strip()


def parse_yaml(text):
    """Block-style YAML as box-console and most compose files write it: mappings, sequences,
    plain and double-quoted scalars, [] and {}. Anything else is an error, as Symfony Yaml's
    parse errors are for Coolify."""
    lines = []
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise YamlError("tab in indentation")
        lines.append((len(raw) - len(raw.lstrip(" ")), stripped))

    def block(i, indent):
        if i >= len(lines) or lines[i][0] < indent:
            return None, i
        indent = lines[i][0]
        if lines[i][1] == "-" or lines[i][1].startswith("- "):
            out = []
            while i < len(lines) and lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- ")):
                item = lines[i][1][1:].strip()
                if item:
                    out.append(_yaml_scalar(item))
                    i += 1
                else:
                    value, i = block(i + 1, indent + 1)
                    out.append(value)
            return out, i
        out = {}
        while i < len(lines) and lines[i][0] == indent:
            key, rest = _yaml_key(lines[i][1])
            if key in out:
                raise YamlError("duplicate key " + str(key))
            if rest:
                out[key] = _yaml_scalar(rest)
                i += 1
            else:
                value, i = block(i + 1, indent + 1)
                out[key] = value
        return out, i

    value, i = block(0, 0)
    if i != len(lines):
        raise YamlError("bad indentation near: " + lines[i][1])
    return value


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def parse_volume_string(volume):
    parts = volume.split(":")
    modes = {"ro", "rw", "z", "Z", "rslave", "rprivate", "rshared", "slave", "private",
             "shared", "cached", "delegated", "consistent"}
    if len(parts) == 1:
        return parts[0], parts[0], None
    if len(parts) == 2:
        return parts[0], parts[1], None
    if parts[-1] in modes:
        return parts[0], ":".join(parts[1:-1]), parts[-1]
    return parts[0], ":".join(parts[1:]), None


def check_shell_safe(value, context):
    for char in SHELL_METACHARS:
        if char in value:
            raise ValueError("Invalid %s: contains forbidden character '%s'. Shell metacharacters "
                             "are not allowed for security reasons." % (context, char))


def service_parser(svc_record):
    """What bootstrap/helpers/parsers.php serviceParser() deploys for a compose (l.1546-2770):
    each service as written, merged with container_name, restart, labels; named volumes
    renamed <uuid>_<slug>; absolute binds kept with their short-syntax mode; no networks when
    network_mode is set, else the service's own external network; env_file .env."""
    uuid = svc_record["uuid"]
    compose = svc_record["_compose"]
    top_volumes = {k: v for k, v in (compose.get("volumes") or {}).items() if v is not None}
    top_networks = dict(compose.get("networks") or {})
    services = {}
    for name, service in (compose.get("services") or {}).items():
        service = dict(service or {})
        container = "%s-%s" % (name, uuid)
        use_network_mode = service.get("network_mode") is not None
        volumes = []
        for volume in service.get("volumes") or []:
            if isinstance(volume, str):
                source, target, mode = parse_volume_string(volume)
            else:
                # Long syntax: rewritten to "source:target"; read_only is not carried.
                source, target, mode = volume.get("source"), volume.get("target"), None
            if source.startswith(("/", ".", "~")):
                if source.startswith((".", "~")):
                    source = "/data/coolify/services/%s%s" % (uuid, source.lstrip(".~"))
                volumes.append("%s:%s%s" % (source, target, ":" + mode if mode else ""))
            else:
                renamed = "%s_%s" % (uuid, slug(source))
                top_volumes[renamed] = {"name": renamed}
                volumes.append("%s:%s%s" % (renamed, target, ":" + mode if mode else ""))
        labels = service.get("labels") or []
        if isinstance(labels, dict):
            labels = ["%s=%s" % (k, v) for k, v in labels.items()]
        labels = list(labels) + [
            "coolify.managed=true", "coolify.version=4.3.11",
            "coolify.serviceId=%d" % svc_record["_id"], "coolify.type=service",
            "coolify.name=" + slug(container), "coolify.resourceName=" + slug(svc_record["name"]),
            "coolify.projectName=boxes", "coolify.serviceName=" + slug(name),
            "coolify.environmentName=production", "coolify.pullRequestId=0",
            "coolify.service.subType=application", "coolify.service.subName=" + slug(name)]
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(e.split("=", 1) if "=" in e else (e, None) for e in environment)
        environment = dict(environment)
        environment["COOLIFY_RESOURCE_UUID"] = uuid
        environment["COOLIFY_CONTAINER_NAME"] = container
        payload = dict(service)
        payload["container_name"] = container
        payload["restart"] = service.get("restart", "unless-stopped")
        payload["labels"] = labels
        if not use_network_mode:
            networks = service.get("networks") or {}
            if isinstance(networks, list):
                networks = {n: None for n in networks}
            networks = dict(networks)
            networks[uuid] = None
            payload["networks"] = networks
            top_networks[uuid] = {"name": uuid, "external": True}
        if volumes:
            payload["volumes"] = volumes
        payload["environment"] = environment
        env_file = service.get("env_file") or []
        if not isinstance(env_file, list):
            env_file = [env_file]
        payload["env_file"] = list(dict.fromkeys(env_file + [".env"]))
        services[name] = payload
    out = {"services": services}
    if top_volumes:
        out["volumes"] = top_volumes
    if top_networks:
        out["networks"] = top_networks
    return out


def public_service(svc, sensitive, full=False):
    out = {k: v for k, v in svc.items() if not k.startswith("_")}
    if sensitive:
        out["docker_compose_raw"] = svc["_compose_raw"]
        out["docker_compose"] = json.dumps(svc["_docker_compose"])
    if full:
        out["applications"] = [{"uuid": a["uuid"], "name": a["name"], "human_name": None,
                                "image": a["image"], "status": svc["status"], "fqdn": None}
                               for a in svc["_applications"]]
        out["databases"] = []
    return out


def _service_advance(svc):
    polls = svc.get("_polls")
    if polls is None:
        return
    svc["_polls"] = polls - 1
    if svc["_polls"] > 0:
        return
    svc["_polls"] = None
    svc["status"] = "running:healthy" if svc["_outcome"] == "finished" else "degraded:unhealthy"
    svc["_log"] = None


def _service_start(svc):
    svc["status"] = "starting:unhealthy"
    svc["_polls"] = STATE.deploy_polls
    svc["_outcome"] = STATE.deploy_outcome


def _service_log(svc):
    if svc.get("_log") is None:
        return ["box %s line %d" % (svc["name"], i) for i in range(1, 6)]
    return list(svc["_log"])


def route_services(self, method, seg, query, raw, ab, action):
    if seg == ["services"] and method == "GET":
        self.need(ab, "read")
        for svc in STATE.services.values():
            _service_advance(svc)
        return 200, [public_service(s, self.sensitive(ab)) for s in STATE.services.values()
                     if not s.get("_gone")], {}
    if seg == ["services"] and method == "POST":
        self.need(ab, "write")
        return self.create_service(self.json_body(raw))
    if len(seg) < 2:
        raise ApiError(404, {"message": "Not found.", "docs": "https://coolify.io/docs"})
    svc = STATE.services.get(seg[1])
    rest = seg[2:]
    if rest in (["start"], ["stop"], ["restart"]):
        if method == "GET":
            self.need(ab, "deploy")
            raise ApiError(405, {"message": "This endpoint has changed to a POST request."},
                           {"Allow": "POST"})
        self.need(ab, "deploy")
    elif method == "GET":
        self.need(ab, "read")
    else:
        self.need(ab, "write")
    if svc is None or svc.get("_gone"):
        raise not_found("Service not found.")
    if not rest:
        if method == "GET":
            if svc.get("_deleting") is not None:
                svc["_deleting"] -= 1
                if svc["_deleting"] < 0:
                    svc["_gone"] = True
                    STATE.services.pop(svc["uuid"], None)
                    STATE.service_envs.pop(svc["uuid"], None)
                    raise not_found("Service not found.")
            _service_advance(svc)
            return 200, public_service(svc, self.sensitive(ab), full=True), {}
        if method == "DELETE":
            flags = {}
            for name in ("delete_configurations", "delete_volumes", "docker_cleanup",
                         "delete_connected_networks"):
                flags[name] = query.get(name)  # $request->boolean(name, true)
            STATE.service_deletes[svc["uuid"]] = flags
            svc["_deleting"] = STATE.delete_delay
            return 200, {"message": "Service deletion request queued."}, {}
        if method == "PATCH":
            # update_by_uuid: unknown fields are a 422; name and description are stored.
            body = self.json_body(raw)
            allowed = {"name", "description", "instant_deploy", "connect_to_docker_network",
                       "docker_compose_raw", "urls", "force_domain_override",
                       "is_container_label_escape_enabled"}
            errors = {k: ["This field is not allowed."] for k in body if k not in allowed}
            if errors:
                raise validation(errors)
            for field in ("name", "description"):
                if field in body:
                    svc[field] = body[field]
            svc["updated_at"] = now()
            return 200, {"uuid": svc["uuid"], "domains": []}, {}
    if rest == ["envs"] and method == "GET":
        envs = STATE.service_envs.get(svc["uuid"], [])
        return 200, [public_env(e, self.sensitive(ab)) for e in envs], {}
    if rest == ["envs", "bulk"] and method == "PATCH":
        body = self.json_body(raw)
        data = body.get("data")
        if not data:
            raise ApiError(400, {"message": "Bulk data is required."})
        out = []
        envs = STATE.service_envs.setdefault(svc["uuid"], [])
        for item in data:
            errors = {}
            key = item.get("key")
            if not isinstance(key, str) or not ENV_KEY_RE.match(key):
                errors["key"] = ["The key field format is invalid."]
            if "value" in item and item["value"] is not None and not isinstance(item["value"], str):
                errors["value"] = ["The value field must be a string."]
            for flag in ("is_literal", "is_multiline", "is_shown_once"):
                if flag in item and not isinstance(item[flag], bool):
                    errors[flag] = ["The %s field must be true or false." % flag.replace("_", " ")]
            if errors:
                raise validation(errors)
            existing = [e for e in envs if e["key"] == key]
            env = existing[0] if existing else {"uuid": new_uuid(), "key": key,
                                                "created_at": now(), "is_preview": False,
                                                "is_runtime": True, "is_buildtime": True,
                                                "resourceable_type": "App\\Models\\Service"}
            for field in SERVICE_ENV_FIELDS - {"key"}:
                if field in item:
                    env[field] = item[field]
            env["real_value"] = env.get("value")
            env["updated_at"] = now()
            if not existing:
                envs.append(env)
            out.append(public_env(env, self.sensitive(ab)))
        return 201, out, {}
    if rest == ["start"] and method == "POST":
        if "running" in svc["status"]:
            raise ApiError(400, {"message": "Service is already running."})
        _service_start(svc)
        return 200, {"message": "Service starting request queued."}, {}
    if rest == ["stop"] and method == "POST":
        if "stopped" in svc["status"] or "exited" in svc["status"]:
            raise ApiError(400, {"message": "Service is already stopped."})
        svc["status"] = "exited:unhealthy"
        svc["_polls"] = None
        return 200, {"message": "Service stopping request queued."}, {}
    if rest == ["restart"] and method == "POST":
        _service_start(svc)
        return 200, {"message": "Service restarting request queued."}, {}
    if rest == ["logs"] and method == "GET":
        sub = query.get("sub_service_name")
        if not sub:
            raise ApiError(400, {"message": "Sub service name is required."})
        if sub not in [a["name"] for a in svc["_applications"]]:
            raise ApiError(404, {"message": "Container not found."})
        _service_advance(svc)
        if not svc["status"].startswith("running"):
            raise ApiError(400, {"message": "Container is not running."})
        lines = int(query.get("lines", "100"))
        logs = _service_log(svc)
        logs = logs[max(0, len(logs) - lines):] if lines > 0 else []
        return 200, {"logs": "\n".join(logs) + "\n"}, {}
    raise ApiError(404, {"message": "Not found.", "docs": "https://coolify.io/docs"})


def create_service(self, body):
    extra = [k for k in body if k not in SERVICE_CREATE_ALLOWED]
    errors = {}
    for field in ("project_uuid", "server_uuid"):
        if not isinstance(body.get(field), str) or not body.get(field):
            errors[field] = ["The %s field is required." % field.replace("_", " ")]
    if not body.get("type") and not body.get("docker_compose_raw"):
        errors["docker_compose_raw"] = ["The docker compose raw field is required when type is not present."]
    if "name" in body and (not isinstance(body["name"], str) or len(body["name"]) > 255):
        errors["name"] = ["The name field must not be greater than 255 characters."]
    if "instant_deploy" in body and not isinstance(body["instant_deploy"], bool):
        errors["instant_deploy"] = ["The instant deploy field must be true or false."]
    if "tags" in body:
        tags = body["tags"]
        if not isinstance(tags, list) or any(not isinstance(t, str) or len(t) < 2 for t in tags):
            errors["tags"] = ["The tags.0 field must be at least 2 characters."]
    for field in extra:
        errors.setdefault(field, []).append("This field is not allowed.")
    if errors:
        raise validation(errors)
    if body.get("type"):
        raise ApiError(404, {"message": "Service not found.", "valid_service_types": []})
    project, env, server = resolve_placement(body)
    raw_b64 = body["docker_compose_raw"]
    try:
        text = base64.b64decode(raw_b64, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise validation({"docker_compose_raw": "The docker_compose_raw should be base64 encoded."})
    try:
        compose = parse_yaml(text)
    except YamlError as e:
        # Yaml::parse() at l.696 runs outside any try: Laravel's generic 500.
        sys.stderr.write("fake_coolify: YAML: %s\n" % e)
        raise ApiError(500, {"message": "Server Error"})
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict):
        raise validation({"docker_compose_raw": 'Docker Compose file must contain a "services" section'})
    try:
        for name, service in compose["services"].items():
            try:
                check_shell_safe(str(name), "service name")
            except ValueError as e:
                raise ValueError("Invalid Docker Compose service name: %s Service names must "
                                 "not contain shell metacharacters." % e)
            for volume in (service or {}).get("volumes") or []:
                if isinstance(volume, str):
                    source, target, _ = parse_volume_string(volume)
                    try:
                        check_shell_safe(source, "volume source")
                        check_shell_safe(target, "volume target")
                    except ValueError as e:
                        raise ValueError("Invalid Docker volume definition: %s Please use safe "
                                         "path names without shell metacharacters." % e)
    except ValueError as e:
        raise validation({"docker_compose_raw": str(e)})
    STATE.next_id += 1
    uuid = new_uuid()
    record = {
        "uuid": uuid, "name": body.get("name") or "service-" + new_uuid()[:10],
        "description": body.get("description"), "status": "exited:unhealthy",
        "server_status": True, "environment_id": env["id"], "server_id": 0,
        "destination_id": 0, "destination_type": "App\\Models\\StandaloneDocker",
        "connect_to_docker_network": False, "service_type": None, "config_hash": None,
        "compose_parsing_version": "5", "is_container_label_escape_enabled": True,
        "created_at": now(), "updated_at": now(), "deleted_at": None,
        "_id": STATE.next_id, "_tags": list(body.get("tags") or []), "_compose_raw": text,
        "_compose": compose, "_polls": None, "_outcome": "finished", "_log": None,
        "_applications": [{"uuid": new_uuid(), "name": name, "image": (svc or {}).get("image")}
                          for name, svc in compose["services"].items()],
    }
    record["_docker_compose"] = service_parser(record)
    STATE.services[uuid] = record
    if body.get("instant_deploy"):
        _service_start(record)
    return 201, {"uuid": uuid, "domains": []}, {}


Handler.route_services = route_services
Handler.create_service = create_service


def watch_parent():
    """Exit when the process that started us dies (a crashed test must not leave us behind)."""
    parent = os.getppid()

    def loop():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=loop, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description="fake Coolify API for tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--version", default="4.3.11")
    args = parser.parse_args()
    STATE.reset(args.version)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    watch_parent()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
