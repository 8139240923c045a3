"""The AWS registry component: an ECR repository and a pull-only identity."""

from typing import Optional

import pulumi
import pulumi_aws as aws

from registry_lab.aws.settings import AwsSettings
from registry_lab.contract import DEMO_TAG
from registry_lab.exports import LoginContract


class AwsRegistry(pulumi.ComponentResource):
    def __init__(
        self, name: str, settings: AwsSettings, opts: Optional[pulumi.ResourceOptions] = None
    ):
        super().__init__("registry-lab:aws:Registry", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.repository = aws.ecr.Repository(
            f"{name}-repository", name=settings.repository_name, opts=child
        )

        host = self.repository.repository_url.apply(lambda url: url.split("/", 1)[0])
        self.contract = LoginContract(
            cloud="aws",
            registry_host=host,
            repository_url=self.repository.repository_url,
            image_ref=self.repository.repository_url.apply(lambda url: f"{url}:{DEMO_TAG}"),
            login_command="",
            details={"region": settings.region},
            push_identity={"method": "ecr-token", "region": settings.region},
            pull_only_identity={"method": "ecr-assume-role", "region": settings.region},
        )
        self.register_outputs({"repositoryUrl": self.repository.repository_url})
