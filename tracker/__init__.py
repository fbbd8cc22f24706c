"""certjourney: a certification-journey tracker.

The headless core (models, services, catalog, importers) never imports Textual;
the CLI imports heavy modules only inside the commands that need them.
"""

__version__ = "0.1.0"
