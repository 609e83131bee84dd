"""numpy's BLAS threads: read, set, and one thread for training unless the user chose."""

from nnviz.core.blas import blas_threads, prefer_one_thread, set_blas_threads


def test_the_thread_count_is_set_at_run_time_and_read_back():
    before = blas_threads()
    try:
        assert set_blas_threads(2)
        assert blas_threads() == 2
        assert set_blas_threads(1)
        assert blas_threads() == 1
    finally:
        set_blas_threads(before)


def test_training_prefers_one_thread_unless_the_user_chose_a_count():
    before = blas_threads()
    try:
        set_blas_threads(2)
        assert not prefer_one_thread({"OMP_NUM_THREADS": "2"})
        assert blas_threads() == 2  # the user's choice is kept
        assert prefer_one_thread({"OPENBLAS_NUM_THREADS": ""})
        assert blas_threads() == 1
    finally:
        set_blas_threads(before)
