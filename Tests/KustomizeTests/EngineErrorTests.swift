import Kustomize
import Testing
import YAML

/// Each way a build can fail names the file and line it comes from.
@Suite struct EngineErrorTests {
  static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n"

  func failure(_ files: [String: String], at root: String = ".") -> Diagnostic? {
    #expect(throws: Diagnostic.self) { try render(files, at: root) }
  }

  @Test func malformedYAML() {
    let error = failure(["kustomization.yaml": "resources:\n- cm.yaml\n", "cm.yaml": "a: 1\n b: 2\n"])
    #expect(error?.mark.file == "cm.yaml")
    #expect(error?.mark.line == 2)
  }

  @Test func unknownField() {
    let error = failure(["kustomization.yaml": "resources:\n- cm.yaml\nnamePrefixes: x\n", "cm.yaml": Self.configMap])
    #expect(error?.mark == Mark(file: "kustomization.yaml", line: 3, column: 1))
    #expect(error?.message == "unknown field 'namePrefixes' in kustomization")
  }

  @Test func missingFile() {
    let error = failure(["kustomization.yaml": "resources:\n- gone.yaml\n"])
    #expect(error?.mark.line == 2)
    #expect(error?.message.contains("not found") == true)
  }

  @Test func pathEscapingTheRoot() {
    let error = failure(["app/kustomization.yaml": "resources:\n- ../cm.yaml\n", "cm.yaml": Self.configMap], at: "app")
    #expect(error?.mark.file == "app/kustomization.yaml")
    #expect(error?.message.contains("outside the kustomization's directory") == true)
  }

  @Test func cycle() {
    let error = failure(
      ["a/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "resources:\n- ../a\n"], at: "a")
    #expect(error?.mark.file == "b/kustomization.yaml")
    #expect(error?.message.hasPrefix("cycle") == true)
    #expect(error?.notes.first?.description.contains("a/kustomization.yaml:2:3: note: included from here") == true)
  }

  @Test func duplicateID() {
    let error = failure(["kustomization.yaml": "resources:\n- cm.yaml\n- cm.yaml\n", "cm.yaml": Self.configMap])
    #expect(error?.message.contains("already registered id: ConfigMap.v1.[noGrp]/one.[noNs]") == true)
  }

  @Test func remoteURL() {
    let error = failure(["kustomization.yaml": "resources:\n- github.com/org/repo//dir?ref=v1\n"])
    #expect(error?.mark.line == 2)
    #expect(error?.message.hasPrefix("remote resource") == true)
  }

  @Test func theDeprecatedHelmFieldIsRejected() {
    let error = failure(["kustomization.yaml": "helmChartInflationGenerator:\n- chartName: x\n"])
    #expect(error?.message.contains("not supported") == true)
    #expect(error?.message.contains("helmCharts") == true)
  }

  @Test func emptyFieldsAreAccepted() throws {
    let output = try render([
      "kustomization.yaml": "resources:\n- cm.yaml\npatches: []\nconfigMapGenerator:\n", "cm.yaml": Self.configMap,
    ])
    #expect(output == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n")
  }

  @Test func wrongTypes() {
    let error = failure(["kustomization.yaml": "commonLabels:\n  version: 2\n"])
    #expect(error?.message == "'commonLabels.version' must be a string, not a number")
  }
}
