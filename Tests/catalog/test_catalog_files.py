"""The catalog option's sources file and demo catalog validate against schemas
written from the catalog's Go model at the pinned release
(catalog-files.schema.yaml), which reject unknown fields as the catalog's
strict decoding does; and the schemas refuse what the catalog refuses."""

import pathlib
import unittest

import yaml
from jsonschema import Draft7Validator

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMAS = yaml.safe_load((HERE / "catalog-files.schema.yaml").read_text())


def errors(kind, document):
    schema = dict(SCHEMAS[kind], definitions=SCHEMAS["definitions"])
    return [error.message for error in Draft7Validator(schema).iter_errors(document)]


class CatalogFilesTest(unittest.TestCase):
    def test_the_options_files_validate(self):
        sources = yaml.safe_load((ROOT / "options/catalog/sources/sources.yaml").read_text())
        self.assertEqual(errors("sources", sources), [])
        self.assertNotIn("catalogs", sources, "catalogs: is deprecated; use model_catalogs:")
        for source in sources["model_catalogs"]:
            path = ROOT / "options/catalog/sources" / source["properties"]["yamlCatalogPath"]
            self.assertTrue(path.is_file(), path)
            self.assertEqual(errors("catalog", yaml.safe_load(path.read_text())), [])

    def test_the_schemas_refuse_what_the_catalog_refuses(self):
        model = {"name": "m", "artifacts": [{"uri": "oci://r/m:1"}]}
        self.assertEqual(errors("catalog", {"source": "s", "models": [model]}), [])
        rows = [
            ("catalog", {"models": [dict(model, tags=["a"])]}),  # tags is not a field
            ("catalog", {"models": [{"name": "m", "artifacts": [{"uri": "hf://m"}]}]}),  # scheme
            ("catalog", {"models": [dict(model, customProperties={"k": {"string_value": "v"}})]}),  # no metadataType
            ("catalog", {"models": [dict(model, createTimeSinceEpoch=17)]}),  # must be a quoted string
            ("sources", {"sources": []}),  # no such key
            ("sources", {"model_catalogs": [{"name": "no id", "type": "yaml"}]}),
            ("sources", {"model_catalogs": [{"id": "x", "type": "yaml", "tags": []}]}),
        ]
        for kind, document in rows:
            self.assertNotEqual(errors(kind, document), [], document)


if __name__ == "__main__":
    unittest.main()
