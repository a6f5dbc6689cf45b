import Foundation
import Testing
import YAML

@testable import Kustomize

/// Helm charts, run with Fixtures/helm/helm-stand-in in place of helm. CI's
/// scripts/check-helm runs the same trees under the reference and requires
/// the same helm runs and output; here each behaviour is held in place.
@Suite(.serialized) struct HelmTests {
  static let fixtures: String = {
    Bundle.module.url(forResource: "Fixtures/helm", withExtension: nil)?.path ?? "Fixtures/helm"
  }()

  /// A copy of a fixture tree and the stand-in (executable) in a fresh folder, removed afterwards.
  struct Scratch {
    let folder: String
    var log: String { folder + "/log" }
    var standIn: String { folder + "/helm" }

    init(copying tree: String?, standIn script: String? = nil) throws {
      var template = Array("/tmp/mrgen-helm-test-XXXXXX".utf8CString)
      let made = template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap { mkdtemp($0) } }
      folder = String(cString: try #require(made))
      if let tree {
        try FileManager.default.copyItem(atPath: HelmTests.fixtures + "/" + tree, toPath: folder + "/tree")
      }
      let text = try script ?? String(contentsOfFile: HelmTests.fixtures + "/helm-stand-in", encoding: .utf8)
      // The stand-in writes where HELM_STAND_IN_LOG says; set here, as the test's process cannot change its environment.
      let logged = text.replacingOccurrences(of: "${HELM_STAND_IN_LOG:-/dev/null}", with: log)
      try logged.write(toFile: standIn, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: standIn)
    }

    func build(_ settings: HelmSettings? = nil) throws(Diagnostic) -> String {
      var builder = Builder(helm: settings ?? HelmSettings(enabled: true, command: standIn))
      return String(decoding: try Builder.render(try builder.build(folder + "/tree")), as: UTF8.self)
    }

    var runs: [String] {
      ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").filter {
        $0.hasPrefix("args: ")
      }.map { String($0.dropFirst(6)) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
  }

  @Test func withoutEnableHelmAChartIsRefusedAtItsEntry() throws {
    let scratch = try Scratch(copying: "pulled")
    defer { scratch.remove() }
    let error = #expect(throws: Diagnostic.self) { try scratch.build(HelmSettings()) }
    #expect(error?.mark.line == 4)
    #expect(error?.message.contains("--enable-helm") == true)
    #expect(scratch.runs.isEmpty)
  }

  @Test func aChartIsPulledThenTemplatedWithMergedValues() throws {
    let scratch = try Scratch(copying: "pulled")
    defer { scratch.remove() }
    let output = try scratch.build()
    let tree = scratch.folder + "/tree"
    let runs = scratch.runs
    #expect(runs.count == 3)
    #expect(runs.first == "version -c --short")
    #expect(
      runs.dropFirst().first
        == "pull --untar --untardir \(tree)/charts/minio-5.0.0 --repo https://charts.min.io minio --version 5.0.0")
    let template = try #require(runs.last)
    #expect(
      template.hasPrefix("template store \(tree)/charts/minio-5.0.0/minio --namespace storage -f /tmp/kustomize-helm-"))
    #expect(template.hasSuffix("/minio-kustomize-values.yaml --include-crds"))
    // The inline values over the chart's, keys in order; the temporary folder is gone afterwards.
    let log = try String(contentsOfFile: scratch.log, encoding: .utf8)
    #expect(log.contains("image:\n    repository: example.com/minio\n    tag: \"2.0\"\n  replicas: 2\n"))
    let values = try #require(template.split(separator: " ").first { $0.hasPrefix("/tmp/kustomize-helm-") })
    #expect(!FileManager.default.fileExists(atPath: (String(values) as NSString).deletingLastPathComponent))
    #expect(output.contains("kind: ConfigMap\nmetadata:\n  name: store-config\n  namespace: storage\n"))
    #expect(output.contains("kind: Service\nmetadata:\n  name: store\n  namespace: storage\n"))
  }

  @Test func aChartInTheChartHomeIsNotPulled() throws {
    let scratch = try Scratch(copying: "local-chart")
    defer { scratch.remove() }
    _ = try scratch.build(HelmSettings(enabled: true, command: scratch.standIn, apiVersions: ["v1", "batch/v1"]))
    let templates = scratch.runs.filter { $0.hasPrefix("template ") }
    #expect(templates.count == 4)
    #expect(!scratch.runs.contains { $0.hasPrefix("pull") })
    // The first chart's own apiVersions overwrite the front of the flag's list for the charts after it.
    #expect(templates[0].contains("--api-versions monitoring.coreos.com/v1 --kube-version 1.30"))
    #expect(templates[1].hasSuffix("--api-versions monitoring.coreos.com/v1 --api-versions batch/v1"))
  }

  @Test func aFailingHelmIsAnErrorWithItsMessage() throws {
    let scratch = try Scratch(
      copying: "pulled",
      standIn: "#!/bin/sh\nif [ \"$1\" = version ]; then echo v3.14.0; exit 0; fi\necho 'chart not found' >&2\nexit 3\n"
    )
    defer { scratch.remove() }
    let error = #expect(throws: Diagnostic.self) { try scratch.build() }
    #expect(error?.message.contains("failed (exit status 3)") == true)
    #expect(error?.message.contains("chart not found") == true)
  }

  @Test func helmTwoIsRefused() throws {
    let scratch = try Scratch(copying: "pulled", standIn: "#!/bin/sh\necho 'Client: v2.17.0+ga690bad'\n")
    defer { scratch.remove() }
    let error = #expect(throws: Diagnostic.self) { try scratch.build() }
    #expect(error?.message.contains("needs helm v3") == true)
  }

  @Test func aMissingHelmIsNamed() throws {
    let scratch = try Scratch(copying: "pulled")
    defer { scratch.remove() }
    let error = #expect(throws: Diagnostic.self) {
      try scratch.build(HelmSettings(enabled: true, command: "mrgen-no-such-helm"))
    }
    #expect(error?.message.contains("no executable 'mrgen-no-such-helm'") == true)
  }

  @Test(arguments: [
    (flag: ["a", "b"], charts: [["x"], []], expected: [["x"], ["x", "b"]]),
    (flag: ["a"], charts: [["x", "y"], []], expected: [["x", "y"], ["x"]]),
    (flag: [], charts: [["x"], []], expected: [["x"], []]),
    (flag: ["a", "b"], charts: [[], ["z"], []], expected: [["a", "b"], ["z"], ["z", "b"]]),
  ])
  func flagVersionsAreOverwrittenAsGoOverwritesThem(flag: [String], charts: [[String]], expected: [[String]]) {
    let versions = HelmFlagVersions(flag)
    #expect(charts.map { versions.versions(for: $0) } == expected)
  }

  @Test(arguments: [
    ("https://user:token@charts.example.com/x", "https://…@charts.example.com/x"),
    ("https://charts.example.com/a@b", "https://charts.example.com/a@b"),
    ("oci://registry.example.com/charts", "oci://registry.example.com/charts"),
    ("--repo", "--repo"),
  ])
  func aURLsCredentialsAreLeftOutOfMessages(argument: String, shown: String) {
    #expect(HelmInflator.Runner.redacted(argument) == shown)
  }

  @Test func helmsErrorsAreShownWithoutControlCharacters() throws {
    let scratch = try Scratch(
      copying: "pulled",
      standIn:
        "#!/bin/sh\nif [ \"$1\" = version ]; then echo v3.14.0; exit 0; fi\nprintf 'bad\\033[31m chart' >&2\nexit 1\n")
    defer { scratch.remove() }
    let error = #expect(throws: Diagnostic.self) { try scratch.build() }
    #expect(error?.message.contains("bad[31m chart") == true)
    #expect(error?.message.contains("\u{1B}") == false)
  }
}
