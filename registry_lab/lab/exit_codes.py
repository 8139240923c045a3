"""Exit codes of ``scripts/lab``: scripts may rely on them, the README lists them.

A step that finds a real difference (copies that are not the same image, a pull-only identity
that can write) exits with its verdict's code; a step that could not finish exits with the code
of what stopped it.
"""

OK = 0
DIFFERS = 1             # compare: a copy is not the same image as the first registry's
USAGE = 2               # bad command-line arguments (argparse's own code) or timeout setting
READ_ONLY_FAILED = 3    # check-read-only: the pull-only identity could push, could not pull,
                        # or its login failed; never a pass
CONTRACT = 4            # a stack, contracts file, key or cloud that is missing or invalid
CONTAINER_CLI = 5       # the container CLI is missing, its daemon is not running, or a build
UNREACHABLE = 6         # a registry did not answer (refused, timed out, TLS not trusted)
UNAUTHORIZED = 7        # 401: wrong password, or a token that expired between login and push
DENIED = 8              # 403 where the push identity should have been allowed
RATE_LIMITED = 9        # 429 after the bounded retries
SERVER_ERROR = 10       # 5xx after the bounded retries, or an unexpected manifest or token
IMMUTABLE_TAG = 11      # the tag exists with other content on an immutable repository
NOT_FOUND = 12          # the image is not in the registry
OFFLINE_LAB = 13        # the offline lab's servers could not be started or stopped
REGISTRY_LIMIT = 14     # the registry's plan is full (DigitalOcean's repository or storage limit)
NOTHING_CHECKED = 15    # check-read-only skipped every registry (no pull-only identity): no proof
NOT_CONFIRMED = 16      # teardown: the destroy was not confirmed (no "yes", or no terminal and
                        # no --yes); nothing was destroyed
DESTROY_FAILED = 17     # teardown: pulumi destroy failed on a stack (the others were attempted)
INTERNAL = 70           # an unexpected error, a bug in the lab (sysexits' EX_SOFTWARE)
INTERRUPTED = 130       # offline up, run or down stopped by Ctrl-C (128 + SIGINT, as shells do)

MEANINGS = {
    OK: "every step passed",
    DIFFERS: "a copy is not the same image",
    USAGE: "bad command-line arguments",
    READ_ONLY_FAILED: "the pull-only identity is not read-only, or could not be checked",
    CONTRACT: "a login contract is missing or invalid",
    CONTAINER_CLI: "the container CLI is missing, its daemon is down, or a build failed",
    UNREACHABLE: "a registry is unreachable",
    UNAUTHORIZED: "a registry refused the login (401)",
    DENIED: "a registry denied the push identity (403)",
    RATE_LIMITED: "a registry kept rate limiting (429)",
    SERVER_ERROR: "a registry kept failing (5xx) or answered in an unexpected shape",
    IMMUTABLE_TAG: "the tag exists with other content on an immutable repository",
    NOT_FOUND: "the image is not in a registry",
    OFFLINE_LAB: "the offline lab's servers could not be started or stopped",
    REGISTRY_LIMIT: "a registry's plan limit (repositories or storage) refused the push",
    NOTHING_CHECKED: "no pull-only identity was checked: every registry was skipped",
    NOT_CONFIRMED: "teardown was not confirmed: nothing was destroyed",
    DESTROY_FAILED: "teardown could not destroy a stack",
    INTERNAL: "the lab stopped on an unexpected error (a bug in the lab)",
    INTERRUPTED: "interrupted (Ctrl-C)",
}
