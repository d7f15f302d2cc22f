from tests.dataset_tests.conftest import loaded, module_dataset  # noqa: F401
