import Foundation
import Kustomize
import Testing
import YAML

/// A symbolic link inside a kustomization's directory may not lead a file read outside it.
@Suite struct SymlinkTests {
  @Test func aLinkOutOfTheRootIsRejected() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("mrgen-link-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    let app = base.appendingPathComponent("app")
    try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
    try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: secret-ish\n".write(
      to: base.appendingPathComponent("outside.yaml"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      at: app.appendingPathComponent("inside.yaml"), withDestinationURL: base.appendingPathComponent("outside.yaml"))
    try "resources:\n- inside.yaml\n".write(
      to: app.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)

    var builder = Builder()
    let error = #expect(throws: Diagnostic.self) { try builder.build(app.path) }
    #expect(error?.mark.line == 2)
    #expect(error?.message.contains("outside the kustomization's directory") == true)
  }
}
