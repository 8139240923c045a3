"""The AWS registry component: an ECR repository, its lifecycle, and a pull-only identity."""

import json
from typing import Optional

import pulumi
import pulumi_aws as aws

from registry_lab.aws.lifecycle import lifecycle_policy_text
from registry_lab.aws.policies import account_root, pull_only_policy, trust_policy
from registry_lab.aws.settings import AwsSettings
from registry_lab.components import registry_type
from registry_lab.contract import DEMO_TAG
from registry_lab.exports import LoginContract

TYPE_TOKEN = registry_type("aws")

# Long enough for a lab run, short enough that a leaked session expires soon.
PULL_ONLY_SESSION_SECONDS = 3600


class AwsRegistry(pulumi.ComponentResource):
    """One ECR repository with a lifecycle policy, and an identity that can only pull from it.

    Args:
        name: the component's name; every child's name starts with it.
        settings: validated AWS settings (``registry_lab.aws.settings.read_settings``).
        opts: options for the component itself.
    """

    def __init__(
        self, name: str, settings: AwsSettings, opts: Optional[pulumi.ResourceOptions] = None
    ):
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = {
            "Project": "registry-lab",
            "Stack": pulumi.get_stack(),
            "Purpose": "lab",
            "ManagedBy": "pulumi",
        }

        # The repository; force delete lets `pulumi destroy` remove it with images inside.
        self.repository = aws.ecr.Repository(
            f"{name}-repository",
            name=settings.repository_name,
            image_tag_mutability=settings.image_tag_mutability,
            image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(
                scan_on_push=settings.scan_on_push,
            ),
            encryption_configurations=[
                aws.ecr.RepositoryEncryptionConfigurationArgs(
                    encryption_type=settings.encryption,
                    kms_key=settings.kms_key_arn,
                )
            ],
            force_delete=settings.force_delete,
            tags=tags,
            opts=child,
        )

        # Expire what the lab leaves behind, so a forgotten stack does not grow its bill.
        self.lifecycle_policy = aws.ecr.LifecyclePolicy(
            f"{name}-lifecycle",
            repository=self.repository.name,
            policy=lifecycle_policy_text(settings.lifecycle),
            opts=child,
        )

        # One managed policy from policies/, attached to the role and, if asked, to the user.
        self.pull_only_policy = aws.iam.Policy(
            f"{name}-pull-only",
            description=f"Pull, never push, ECR repository {settings.repository_name}",
            policy=self.repository.arn.apply(lambda arn: json.dumps(pull_only_policy(arn))),
            tags=tags,
            opts=child,
        )

        # The role hands out short-lived credentials to the principals allowed to assume it.
        principals = self._pull_only_principals(settings)
        self.pull_only_role = aws.iam.Role(
            f"{name}-pull-only",
            description=f"Pull-only access to ECR repository {settings.repository_name}",
            assume_role_policy=principals.apply(lambda arns: json.dumps(trust_policy(arns))),
            max_session_duration=PULL_ONLY_SESSION_SECONDS,
            tags=tags,
            opts=child,
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-pull-only-role",
            role=self.pull_only_role.name,
            policy_arn=self.pull_only_policy.arn,
            opts=child,
        )

        self.pull_only_user = None
        self.pull_only_key = None
        if settings.pull_only_user:
            self._add_pull_only_user(name, tags, child)

        self.registry_host = self.repository.repository_url.apply(_login_server)
        self.contract = self._login_contract(settings)
        self.register_outputs({
            "registryHost": self.registry_host,
            "repositoryUrl": self.repository.repository_url,
            "repositoryArn": self.repository.arn,
            "pullOnlyRoleArn": self.pull_only_role.arn,
        })

    def _pull_only_principals(self, settings: AwsSettings) -> pulumi.Output:
        """The configured principals, or else the deploying account's root principal."""
        if settings.pull_only_principals:
            return pulumi.Output.from_input(list(settings.pull_only_principals))

        invoke = pulumi.InvokeOutputOptions(parent=self)
        caller = aws.get_caller_identity_output(opts=invoke)
        partition = aws.get_partition_output(opts=invoke)
        return pulumi.Output.all(partition.partition, caller.account_id).apply(
            lambda found: [account_root(found[0], found[1])]
        )

    def _add_pull_only_user(self, name: str, tags: dict, child: pulumi.ResourceOptions):
        """A user with a long-lived access key, for places that cannot assume a role."""
        self.pull_only_user = aws.iam.User(f"{name}-pull-only", tags=tags, opts=child)
        aws.iam.UserPolicyAttachment(
            f"{name}-pull-only-user",
            user=self.pull_only_user.name,
            policy_arn=self.pull_only_policy.arn,
            opts=child,
        )
        self.pull_only_key = aws.iam.AccessKey(
            f"{name}-pull-only", user=self.pull_only_user.name, opts=child
        )

    def _login_contract(self, settings: AwsSettings) -> LoginContract:
        region = settings.region
        registry_id = self.repository.registry_id
        pull_only = {
            "method": "ecr-assume-role",
            "region": region,
            "registryId": registry_id,
            "roleArn": self.pull_only_role.arn,
        }
        pull_only_credentials = None
        if self.pull_only_key is not None:
            pull_only = {
                **pull_only, "method": "ecr-access-key", "userName": self.pull_only_user.name,
            }
            pull_only_credentials = {
                "accessKeyId": self.pull_only_key.id,
                "secretAccessKey": self.pull_only_key.secret,
            }

        return LoginContract(
            cloud="aws",
            registry_host=self.registry_host,
            repository_url=self.repository.repository_url,
            image_ref=pulumi.Output.concat(self.repository.repository_url, ":", DEMO_TAG),
            login_command=pulumi.Output.concat(
                "aws ecr get-login-password --region ", region,
                " | docker login --username AWS --password-stdin ", self.registry_host,
            ),
            details={
                "region": region,
                "registryId": registry_id,
                "repositoryName": self.repository.name,
                "repositoryArn": self.repository.arn,
            },
            push_identity={"method": "ecr-token", "region": region, "registryId": registry_id},
            pull_only_identity=pull_only,
            pull_only_credentials=pull_only_credentials,
        )


def _login_server(repository_url: str) -> str:
    """The host part of ``ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME``."""
    return repository_url.split("/", 1)[0]
