"""gunicorn's settings for production (spil.conf.gunicorn)."""

import gc

from spil.conf import gunicorn


def test_a_worker_freezes_what_it_loaded_and_collects_young_objects_less_often():
    threshold = gc.get_threshold()
    try:
        gunicorn.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000  # Django's modules, models and URL configuration
        assert gc.get_threshold() == (gunicorn.GC_YOUNGEST_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
