"""The GCP registry component: an Artifact Registry Docker repository, a push service account
and a pull-only service account, both bound on the repository alone."""

from typing import Optional

import pulumi
import pulumi_gcp as gcp

from registry_lab.components import registry_type
from registry_lab.contract import DEMO_IMAGE, DEMO_TAG
from registry_lab.exports import LoginContract
from registry_lab.gcp.cleanup import cleanup_policies
from registry_lab.gcp.settings import GcpSettings

TYPE_TOKEN = registry_type("gcp")

ARTIFACT_REGISTRY_API = "artifactregistry.googleapis.com"
# Service accounts are created through the IAM API; impersonated tokens are minted by the IAM
# Service Account Credentials API of the accounts' project, at login time.
IAM_API = "iam.googleapis.com"
IAM_CREDENTIALS_API = "iamcredentials.googleapis.com"
WRITER_ROLE = "roles/artifactregistry.writer"
READER_ROLE = "roles/artifactregistry.reader"
TOKEN_CREATOR_ROLE = "roles/iam.serviceAccountTokenCreator"

# Label values allow lowercase letters, digits, hyphens and underscores only.
LABELS = {"app": "registry-lab", "environment": "lab", "managed-by": "pulumi"}


class GcpRegistry(pulumi.ComponentResource):
    """One Docker repository with a push and a pull-only service account.

    Args:
        name: the component's name; every child's name starts with it.
        settings: validated GCP settings (``registry_lab.gcp.settings.read_settings``).
        opts: options for the component itself.
    """

    def __init__(
        self, name: str, settings: GcpSettings, opts: Optional[pulumi.ResourceOptions] = None
    ):
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self._enable_apis(name, settings)

        # Creating a repository before the API is on fails with "API not enabled".
        self.repository = gcp.artifactregistry.Repository(
            f"{name}-repository",
            project=settings.project,
            location=settings.location,
            repository_id=settings.repository_id,
            format="DOCKER",
            description="registry-lab: the demo image, pushed and pulled by the lab",
            labels=LABELS,
            docker_config={"immutable_tags": settings.immutable_tags},
            cleanup_policies=cleanup_policies(
                settings.untagged_older_than_days, settings.keep_recent_versions
            ),
            cleanup_policy_dry_run=settings.cleanup_dry_run,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.artifact_registry_api]),
        )

        self._service_accounts(name, settings)
        self._grant_access(name, settings, child)

        self.repository_url = pulumi.Output.concat(
            settings.registry_host, "/", settings.project, "/", self.repository.repository_id
        )
        self.contract = self._login_contract(name, settings, child)

        self.register_outputs(
            {
                "repositoryUrl": self.repository_url,
                "pushServiceAccount": self.push_account.email,
                "pullOnlyServiceAccount": self.pull_only_account.email,
            }
        )

    def _enable_apis(self, name: str, settings: GcpSettings) -> None:
        """Turn on the APIs the repository, the accounts and impersonated logins need."""
        self.artifact_registry_api = self._enable_api(
            name, "artifactregistry", ARTIFACT_REGISTRY_API, settings
        )
        self.iam_api = self._enable_api(name, "iam", IAM_API, settings)
        self.iam_credentials_api = self._enable_api(
            name, "iamcredentials", IAM_CREDENTIALS_API, settings
        )

    def _service_accounts(self, name: str, settings: GcpSettings) -> None:
        """The push and the pull-only service account, once the IAM API is on."""
        accounts = pulumi.ResourceOptions(parent=self, depends_on=[self.iam_api])
        self.push_account = self._account(
            name, "push", settings.push_account_id, "pushes the lab's images", settings, accounts
        )
        self.pull_only_account = self._account(
            name, "pull-only", settings.pull_only_account_id, "only pulls the lab's images",
            settings, accounts,
        )

    def _grant_access(
        self, name: str, settings: GcpSettings, child: pulumi.ResourceOptions
    ) -> None:
        """Write for push, read for pull-only, and impersonation of both for the operator."""
        # Bound on the repository: a project-level binding would reach every repository.
        self._grant_on_repository(name, "push", self.push_account, WRITER_ROLE, settings, child)
        self._grant_on_repository(
            name, "pull-only", self.pull_only_account, READER_ROLE, settings, child
        )

        if settings.operator is not None:
            self._let_operator_impersonate(name, "push", self.push_account, settings, child)
            self._let_operator_impersonate(
                name, "pull-only", self.pull_only_account, settings, child
            )

    def _login_contract(
        self, name: str, settings: GcpSettings, child: pulumi.ResourceOptions
    ) -> LoginContract:
        """The contract: impersonated logins, or with keys asked for, a key per account."""
        push_credentials = pull_only_credentials = None
        method = "gcp-impersonate"
        if settings.create_service_account_keys:
            method = "gcp-key"
            push_credentials = self._key_credentials(name, "push", self.push_account, child)
            pull_only_credentials = self._key_credentials(
                name, "pull-only", self.pull_only_account, child
            )

        host = settings.registry_host
        return LoginContract(
            cloud="gcp",
            registry_host=host,
            repository_url=self.repository_url,
            image_ref=pulumi.Output.concat(self.repository_url, f"/{DEMO_IMAGE}:{DEMO_TAG}"),
            login_command=_login_command(method, host, self.push_account.email),
            details={
                "project": settings.project,
                "location": settings.location,
                "repositoryId": settings.repository_id,
            },
            push_identity={"method": method, "serviceAccount": self.push_account.email},
            pull_only_identity={"method": method, "serviceAccount": self.pull_only_account.email},
            push_credentials=push_credentials,
            pull_only_credentials=pull_only_credentials,
        )

    def _enable_api(
        self, name: str, short_name: str, api: str, settings: GcpSettings
    ) -> gcp.projects.Service:
        """Enable ``api`` in the stack's project.

        Args:
            name: the component's name, the prefix of the resource's name.
            short_name: the API's short name in the resource's name, such as ``iam``.
            api: the service to enable, such as ``iam.googleapis.com``.
            settings: the stack's settings, for the project.
        """
        # Other workloads in the project may rely on the API, so destroying the lab keeps it on.
        return gcp.projects.Service(
            f"{name}-{short_name}-api",
            project=settings.project,
            service=api,
            disable_on_destroy=False,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _account(
        self,
        name: str,
        role: str,
        account_id: str,
        purpose: str,
        settings: GcpSettings,
        opts: pulumi.ResourceOptions,
    ) -> gcp.serviceaccount.Account:
        """One service account of the registry.

        Args:
            name: the component's name, the prefix of the resource's name.
            role: ``push`` or ``pull-only``, in the resource's and the account's names.
            account_id: the account id, the part of its email before the @.
            purpose: what the account does, for its description.
            settings: the stack's settings, for the project and the repository id.
            opts: options of the account, with its dependencies.
        """
        return gcp.serviceaccount.Account(
            f"{name}-{role}-account",
            project=settings.project,
            account_id=account_id,
            display_name=f"registry-lab {role}",
            description=f"registry-lab: {purpose} in {settings.repository_id}",
            opts=opts,
        )

    def _grant_on_repository(
        self,
        name: str,
        role: str,
        account: gcp.serviceaccount.Account,
        iam_role: str,
        settings: GcpSettings,
        opts: pulumi.ResourceOptions,
    ) -> gcp.artifactregistry.RepositoryIamMember:
        """Grant ``account`` an IAM role on the repository alone.

        Args:
            name: the component's name, the prefix of the resource's name.
            role: ``push`` or ``pull-only``, in the resource's name.
            account: the service account granted the role.
            iam_role: the role, such as ``roles/artifactregistry.reader``.
            settings: the stack's settings, for the project and location.
            opts: options of the binding.
        """
        return gcp.artifactregistry.RepositoryIamMember(
            f"{name}-{role}-repository-access",
            project=settings.project,
            location=settings.location,
            repository=self.repository.repository_id,
            role=iam_role,
            member=pulumi.Output.concat("serviceAccount:", account.email),
            opts=opts,
        )

    def _let_operator_impersonate(
        self,
        name: str,
        role: str,
        account: gcp.serviceaccount.Account,
        settings: GcpSettings,
        opts: pulumi.ResourceOptions,
    ) -> gcp.serviceaccount.IAMMember:
        """Let the operator mint access tokens as ``account``.

        Args:
            name: the component's name, the prefix of the resource's name.
            role: ``push`` or ``pull-only``, in the resource's name.
            account: the service account the operator may impersonate.
            settings: the stack's settings, for the operator member.
            opts: options of the binding.
        """
        # Short-lived tokens minted on demand instead of keys that live until someone deletes them.
        return gcp.serviceaccount.IAMMember(
            f"{name}-{role}-impersonation",
            service_account_id=account.name,
            role=TOKEN_CREATOR_ROLE,
            member=settings.operator,
            opts=opts,
        )

    def _key_credentials(
        self,
        name: str,
        role: str,
        account: gcp.serviceaccount.Account,
        opts: pulumi.ResourceOptions,
    ) -> dict:
        """A key of ``account``, as the contract's credentials (the key a secret).

        Args:
            name: the component's name, the prefix of the resource's name.
            role: ``push`` or ``pull-only``, in the resource's name.
            account: the service account the key belongs to.
            opts: options of the key.
        """
        key = gcp.serviceaccount.Key(
            f"{name}-{role}-key", service_account_id=account.name, opts=opts
        )
        # private_key is already the key file's JSON in base64, what _json_key_base64 expects.
        return {"keyJsonBase64": pulumi.Output.secret(key.private_key)}


def _login_command(method: str, host: str, push_email: pulumi.Output) -> pulumi.Output:
    """How a person logs in to push; the secret comes from a command, never from the line."""
    if method == "gcp-key":
        return pulumi.Output.from_input(
            f"pulumi stack output pushCredentials --stack {pulumi.get_stack()} --show-secrets "
            "--json | jq -r .keyJsonBase64 | "
            f"docker login -u _json_key_base64 --password-stdin https://{host}"
        )
    return pulumi.Output.concat(
        "gcloud auth print-access-token --impersonate-service-account=",
        push_email,
        f" | docker login -u oauth2accesstoken --password-stdin https://{host}",
    )
