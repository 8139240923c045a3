"""Where an Artifact Registry repository can live.

Checked by name rather than by shape: ``eu-west3`` and ``us-central-1`` look like locations but
are not, and the API would only say so after the API service had been enabled. The list is the
regions and multi-regions Google documents for Artifact Registry; ``gcloud artifacts locations
list`` prints the current set, and a region Google adds later belongs here.
"""

MULTI_REGIONS = ("us", "europe", "asia")

REGIONS = (
    # Africa and the Middle East
    "africa-south1",
    "me-central1",
    "me-central2",
    "me-west1",
    # Americas
    "northamerica-northeast1",
    "northamerica-northeast2",
    "northamerica-south1",
    "southamerica-east1",
    "southamerica-west1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-south1",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
    # Asia Pacific
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-south2",
    "asia-southeast1",
    "asia-southeast2",
    "australia-southeast1",
    "australia-southeast2",
    # Europe
    "europe-central2",
    "europe-north1",
    "europe-north2",
    "europe-southwest1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-west8",
    "europe-west9",
    "europe-west10",
    "europe-west12",
)

LOCATIONS = frozenset(MULTI_REGIONS + REGIONS)
