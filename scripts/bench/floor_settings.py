"""Settings of scripts/bench/floor.py: the production settings, plus three
pages that do (almost) nothing, to measure what the stack costs by itself."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.bench.floor_urls"
