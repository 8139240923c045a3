"""registry-lab: private container registries on three clouds, and a lab that proves them."""
