"""Floor 1, what a user writes: the config schema, its distributions, loading and messages.

Imports nothing from simsav but the ground floor (``simsav.codes``, ``simsav.errors``).
"""
from .distributions import Number, describe, is_uncertain, point_value, support
from .load import (
    PROBABILITY_FIELDS, config_from_dict, correlation_matrix, dotted, find_number, load_config, parameter_names, source_path,
    source_sha256, source_text, uncertain_numbers, walk_numbers,
)
from .national import NationalConfig, is_national, load_national
from .extend import merge
from .sources import Source, source_comments
from .schema import (
    AGREEMENT_RULES, SETTLEMENTS, Agreement, Cohort, Config, Correlation, Item, Outcomes, Party, Schedule, Stream,
    WorldOutcomes,
)

__all__ = [
    "AGREEMENT_RULES", "PROBABILITY_FIELDS", "SETTLEMENTS", "Agreement", "Cohort", "Config", "Correlation", "Item", "Number", "Outcomes",
    "Party", "Schedule", "Source", "Stream", "WorldOutcomes", "config_from_dict", "correlation_matrix", "describe", "dotted",
    "find_number", "is_national", "is_uncertain", "load_config", "load_national", "merge", "NationalConfig", "parameter_names", "point_value", "source_path", "source_sha256",
    "source_comments", "source_text", "support", "uncertain_numbers", "walk_numbers",
]
