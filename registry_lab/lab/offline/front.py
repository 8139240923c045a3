"""A registry's front: nginx with the lab's TLS and basic auth, refusing pull-only writes.

The pull-only rule runs after authentication: nginx checks the password in its access phase,
and only then, when it picks where to proxy the request, sends a pull-only user's write to a
small internal server that answers 403 with the registry's own "denied" error. A wrong
password therefore always gets 401, never 403.
"""

import os
from pathlib import Path
from typing import List

from registry_lab.lab.offline.errors import OfflineLabError
from registry_lab.lab.offline.files import private_dir, write_private
from registry_lab.lab.offline.ports import LOOPBACK

DENIED_BODY = ('{"errors":[{"code":"DENIED","message":"requested access to the resource is '
               'denied","detail":null}]}')
UNAUTHORIZED_BODY = ('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required",'
                     '"detail":null}]}')
API_VERSION = "registry/2.0"
READ_METHODS = ("GET", "HEAD")

DENIED_SOCKET = "denied.sock"
TEMP_DIRS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")

# A unix socket path must fit in sockaddr_un (108 bytes with its terminating NUL).
MAX_SOCKET_PATH = 107

CONFIG_TEMPLATE = """\
daemon off;
master_process on;
worker_processes 1;
{user}pid {pid_file};
error_log {error_log} warn;

events {{
    worker_connections 256;
}}

http {{
    access_log {access_log};
    client_body_temp_path {temp_body};
    proxy_temp_path {temp_proxy};
    fastcgi_temp_path {temp_fastcgi};
    uwsgi_temp_path {temp_uwsgi};
    scgi_temp_path {temp_scgi};
    default_type application/octet-stream;
    server_tokens off;

    upstream lab_registry {{
        server {loopback}:{backend_port};
    }}
    upstream lab_denied {{
        server {denied_socket};
    }}

    # Read when the request is proxied, after auth_basic has accepted the password.
    map "$remote_user:$request_method" $lab_upstream {{
        default lab_registry;
{read_rules}
        "~^{puller}:" lab_denied;
    }}

    # The registry sends its API version itself; nginx adds it only where the registry did not.
    map $upstream_http_docker_distribution_api_version $lab_api_version {{
        "" "{api_version}";
        default "";
    }}

    server {{
        listen {loopback}:{front_port} ssl;
        ssl_certificate {server_cert};
        ssl_certificate_key {server_key};
        ssl_protocols TLSv1.2 TLSv1.3;

        # Layers of any size, streamed through in both directions rather than spooled.
        client_max_body_size 0;
        chunked_transfer_encoding on;

        location /v2/ {{
            auth_basic "registry-lab {name}";
            auth_basic_user_file {htpasswd};
            add_header Docker-Distribution-Api-Version $lab_api_version always;
            # The registry's own error body; nginx keeps auth_basic's WWW-Authenticate.
            error_page 401 @unauthorized;

            proxy_pass http://$lab_upstream;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header Authorization "";
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 900s;
            proxy_send_timeout 900s;
        }}

        location @unauthorized {{
            default_type application/json;
            add_header Docker-Distribution-Api-Version {api_version} always;
            return 401 '{unauthorized_body}';
        }}

        location / {{
            return 404;
        }}
    }}

    server {{
        listen {denied_socket};
        default_type application/json;

        location / {{
            add_header Docker-Distribution-Api-Version {api_version} always;
            return 403 '{denied_body}';
        }}
    }}
}}
"""


def check_workdir(workdir: Path) -> None:
    """OfflineLabError unless nginx's config can name files under ``workdir``.

    Spaces, quotes, ';', '#' and braces are quoted; '$' is not: nginx reads a variable there
    even inside quotes. Control characters would break the lab's one-line messages.
    """
    text = str(workdir)
    if "$" in text or not text.isprintable():
        raise OfflineLabError(f"workdir {text!r} holds a '$' or a control character, which "
                              "nginx's config cannot name; choose a path without them")


def quoted(value: str) -> str:
    """``value`` as one nginx token: in double quotes, with '\\' and '"' escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def config_path(registry_dir: Path) -> Path:
    return registry_dir / "front" / "nginx.conf"


def write_config(registry_dir: Path, name: str, front_port: int, backend_port: int,
                 htpasswd: Path, server_cert: Path, server_key: Path, puller: str) -> Path:
    front_dir = private_dir(registry_dir / "front")
    for temp in TEMP_DIRS:
        private_dir(front_dir / "temp" / temp)

    denied_socket = front_dir / DENIED_SOCKET
    if len(str(denied_socket).encode()) > MAX_SOCKET_PATH:
        raise OfflineLabError(f"workdir {registry_dir.parent} is too deep for a unix socket "
                              f"path ({MAX_SOCKET_PATH} bytes at most); choose a shorter one")

    # Workers read the 0600 htpasswd file on every request, so they keep the master's user.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    read_rules = "\n".join(f'        "{puller}:{method}" lab_registry;'
                           for method in READ_METHODS)
    paths = {
        "pid_file": front_dir / "nginx.pid", "error_log": front_dir / "error.log",
        "access_log": front_dir / "access.log", "server_cert": server_cert,
        "server_key": server_key, "htpasswd": htpasswd, "denied_socket": f"unix:{denied_socket}",
        **{f"temp_{temp}": front_dir / "temp" / temp for temp in TEMP_DIRS},
    }
    text = CONFIG_TEMPLATE.format(
        user=user, loopback=LOOPBACK, backend_port=backend_port, front_port=front_port,
        read_rules=read_rules, puller=puller, api_version=API_VERSION, name=name,
        denied_body=DENIED_BODY, unauthorized_body=UNAUTHORIZED_BODY,
        **{key: quoted(str(path)) for key, path in paths.items()})
    return write_private(config_path(registry_dir), text)


def command(nginx: str, config: Path) -> List[str]:
    front_dir = config.parent
    return [nginx, "-p", f"{front_dir}/", "-c", str(config), "-e", str(front_dir / "error.log")]


def remove_stale_socket(config: Path) -> None:
    """Remove the denied socket a killed nginx left behind: a new one could not bind it."""
    (config.parent / DENIED_SOCKET).unlink(missing_ok=True)


def health_url(port: int) -> str:
    return f"https://{LOOPBACK}:{port}/v2/"
