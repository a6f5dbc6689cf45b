import Foundation
import Kustomize
import ModelRegistry
import Testing
import YAML

/// A rendered stream seen as a cluster would run it: its pods' containers, with
/// the ConfigMaps and Secrets their variables come from, checked against the
/// images' contracts and against what the tree promises of every render.
struct RenderedTree {
  var resources: [Resource]

  /// A container with the place it is declared, and the pod spec around it.
  struct Container {
    var owner: String
    var spec: Mapping
    var pod: Mapping?
    var podLabels: Mapping?
  }

  var containers: [Container] {
    var result: [Container] = []
    for resource in resources {
      let owner = "\(resource.gvk.kind)/\(resource.name)"
      if let template = podTemplate(of: resource) {
        let spec = template["spec"]?.mapping
        for key in ["initContainers", "containers"] {
          for item in spec?[key]?.sequence?.items ?? [] {
            if let container = item.mapping {
              result.append(
                Container(
                  owner: owner, spec: container, pod: spec, podLabels: template["metadata"]?.mapping?["labels"]?.mapping
                ))
            }
          }
        }
      } else if resource.gvk.kind == "ClusterStorageContainer",
        let container = resource.object["spec"]?.mapping?["container"]?.mapping
      {
        result.append(Container(owner: owner, spec: container, pod: nil, podLabels: nil))
      }
    }
    return result
  }

  func podTemplate(of resource: Resource) -> Mapping? {
    switch resource.gvk.kind {
    case "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet":
      return resource.object["spec"]?.mapping?["template"]?.mapping
    case "CronJob":
      return resource.object["spec"]?.mapping?["jobTemplate"]?.mapping?["spec"]?.mapping?["template"]?.mapping
    default:
      return nil
    }
  }

  func resource(kind: String, name: String) -> Resource? {
    resources.first { $0.gvk.kind == kind && $0.name == name }
  }

  /// The container's variables by name, with the value where the render says it
  /// (a literal, or a key of a rendered ConfigMap); nil for Secrets and fields.
  func environment(of container: Mapping) -> [String: String?] {
    var result: [String: String?] = [:]
    for item in container["envFrom"]?.sequence?.items ?? [] {
      if let name = item.mapping?["configMapRef"]?.mapping?.string("name"),
        let data = resource(kind: "ConfigMap", name: name)?.object["data"]?.mapping
      {
        for entry in data.entries { result[entry.key.value] = entry.value.scalar?.value }
      }
    }
    for item in container["env"]?.sequence?.items ?? [] {
      guard let variable = item.mapping, let name = variable.string("name") else { continue }
      if let value = variable["value"]?.scalar?.value {
        result[name] = .some(value)
      } else if let reference = variable["valueFrom"]?.mapping?["configMapKeyRef"]?.mapping,
        let configMap = reference.string("name"), let key = reference.string("key")
      {
        result[name] = .some(resource(kind: "ConfigMap", name: configMap)?.object["data"]?.mapping?[key]?.scalar?.value)
      } else {
        result[name] = .some(nil)
      }
    }
    return result
  }

  /// Every way the render breaks an image's contract, one line each.
  func contractViolations(_ contracts: [Contract]) -> [String] {
    var violations: [String] = []
    for container in containers {
      let name = "\(container.owner) container \(container.spec.string("name") ?? "?")"
      guard let image = container.spec.string("image") else { continue }
      let (repository, tag) = Self.split(image)
      guard let tag, tag != "latest", tag.range(of: #"\d+\.\d+"#, options: .regularExpression) != nil else {
        violations.append("\(name): image \(image) is not pinned to an exact version")
        continue
      }
      guard let contract = contracts.first(where: { $0.images.contains(repository) }) else { continue }
      if tag != contract.tag {
        violations.append("\(name): \(repository) is tagged \(tag), the pin is \(contract.tag)")
      }
      violations += check(container.spec, named: name, against: contract)
    }
    return violations
  }

  func check(_ container: Mapping, named name: String, against contract: Contract) -> [String] {
    var violations: [String] = []
    let command = (container["command"]?.sequence?.items ?? []).compactMap { $0.scalar?.value }
    var arguments = (container["args"]?.sequence?.items ?? []).compactMap { $0.scalar?.value }
    if !command.isEmpty {
      if command[0] != contract.entrypoint {
        violations.append("\(name): runs \(command[0]), the image's entrypoint is \(contract.entrypoint)")
      }
      arguments = Array(command.dropFirst()) + arguments
    }
    // The subcommand, where the image has them.
    let selected: Contract.Command?
    if contract.commands.contains(where: { $0.name != nil }) {
      let word = arguments.first ?? ""
      selected = contract.commands.first { $0.name == word }
      if selected == nil { violations.append("\(name): '\(word)' is not a command of \(contract.entrypoint)") }
      arguments = Array(arguments.dropFirst())
    } else {
      selected = contract.commands.first
    }
    guard let command = selected else { return violations }
    let flags = command.flags + contract.globalFlags
    let environment = environment(of: container)
    // Flags: each defined, with an accepted value.
    var given: [String: String] = [:]
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("-") else {
        violations.append("\(name): unexpected argument '\(argument)'")
        continue
      }
      let body = argument.drop { $0 == "-" }
      let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      guard !parts[0].isEmpty, let flag = flags.first(where: { $0.name == parts[0] }) else {
        violations.append("\(name): \(contract.entrypoint) does not define the flag --\(parts[0])")
        continue
      }
      var value = parts.count > 1 ? parts[1] : nil
      if value == nil && !flag.isBool && index < arguments.count {
        value = arguments[index]
        index += 1
      }
      given[flag.name] = value ?? "true"
      if let allowed = flag.values, let value, !value.contains("$("), !allowed.contains(value) {
        violations.append("\(name): --\(flag.name)=\(value) is not one of \(allowed.joined(separator: ", "))")
      }
    }
    // $(NAME) in the arguments is expanded by Kubernetes from the container's variables.
    for argument in arguments {
      for reference in Self.references(in: argument) where environment[reference] == nil {
        violations.append("\(name): $(\(reference)) names no variable of the container")
      }
    }
    // Variables: the required ones set (to the needed value), the prefixed ones read.
    for variable in command.requiredEnvironment {
      guard let value = environment[variable.name] else {
        violations.append("\(name): the image needs the variable \(variable.name)")
        continue
      }
      if let needed = variable.value, value != needed {
        violations.append("\(name): \(variable.name) is '\(value ?? "?")'; the image acts only on '\(needed)'")
      }
    }
    for (variable, value) in environment {
      if let read = contract.reads.first(where: { $0.name == variable }), let allowed = read.values, let value,
        !allowed.contains(value)
      {
        violations.append("\(name): \(variable)=\(value) is not one of \(allowed.joined(separator: ", "))")
      }
      guard let prefix = contract.environmentPrefix, variable.hasPrefix(prefix) else { continue }
      if contract.prefixNamesFlags {
        let flag = variable.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: "-")
        if !flags.contains(where: { $0.name == flag }) {
          violations.append("\(name): \(variable) names no flag of the \(command.name ?? "") command")
        }
      } else if !contract.reads.contains(where: { $0.name == variable }) {
        violations.append("\(name): the image does not read \(variable)")
      }
    }
    // Ports and probes against the listeners.
    var listening: [Int: Contract.Listener] = [:]
    for listener in command.listeners {
      if let port = listener.port(given: given[listener.flag]) { listening[port] = listener }
    }
    var portNames: [String: Int] = [:]
    for item in container["ports"]?.sequence?.items ?? [] {
      guard let port = item.mapping, let number = port["containerPort"]?.scalar.flatMap({ Int($0.value) }) else {
        continue
      }
      if let portName = port.string("name") { portNames[portName] = number }
      if listening[number] == nil {
        violations.append("\(name): declares port \(number), where the image does not listen")
      }
    }
    for probeKey in ["livenessProbe", "readinessProbe", "startupProbe"] {
      guard let probe = container[probeKey]?.mapping else { continue }
      let action = probe["httpGet"]?.mapping ?? probe["tcpSocket"]?.mapping
      guard let action else { continue }
      let portText = action["port"]?.scalar?.value ?? ""
      guard let port = Int(portText) ?? portNames[portText] else {
        violations.append("\(name): \(probeKey) names the port '\(portText)', which the container does not declare")
        continue
      }
      guard let listener = listening[port] else {
        violations.append("\(name): \(probeKey) asks port \(port), where the image does not listen")
        continue
      }
      if let path = probe["httpGet"]?.mapping?.string("path"), !listener.serves(path) {
        violations.append("\(name): \(probeKey) asks for \(path), which the image does not serve on port \(port)")
      }
    }
    return violations
  }

  static func split(_ image: String) -> (repository: String, tag: String?) {
    let withoutDigest = image.split(separator: "@").first.map(String.init) ?? image
    guard let colon = withoutDigest.lastIndex(of: ":"), !withoutDigest[colon...].contains("/") else {
      return (withoutDigest, nil)
    }
    return (String(withoutDigest[..<colon]), String(withoutDigest[withoutDigest.index(after: colon)...]))
  }

  static func references(in text: String) -> [String] {
    var names: [String] = []
    var rest = Substring(text)
    while let start = rest.range(of: "$(") {
      rest = rest[start.upperBound...]
      guard let end = rest.firstIndex(of: ")") else { break }
      names.append(String(rest[..<end]))
      rest = rest[rest.index(after: end)...]
    }
    return names
  }
}

enum Contracts {
  static let all: [Contract] = (try? Contract.loadAll(from: Tree.root + "/contracts")) ?? []
}

@Suite struct ContractTests {
  @Test func contractsAreReadWithTheirFacts() {
    #expect(
      Contracts.all.map { $0.images[0] }.sorted() == [
        "ghcr.io/kubeflow/model-registry/controller", "ghcr.io/kubeflow/model-registry/server",
        "ghcr.io/kubeflow/model-registry/storage-initializer", "ghcr.io/kubeflow/model-registry/ui",
      ])
    let server = Contracts.all.first { $0.entrypoint == "/model-registry" }
    #expect(server?.commands.compactMap(\.name) == ["proxy", "catalog"])
    #expect(server?.commands.first?.flags.contains { $0.name == "embedmd-database-dsn" } == true)
  }

  /// Each row is a container the way a past tree (or a plausible mistake) wrote
  /// it, and what the check must say; the checks cannot pass by saying nothing.
  @Test(arguments: [
    (
      "image: ghcr.io/kubeflow/model-registry/server:v0.3.8\ncommand: [/model-registry]\nargs: [catalog, --listen=0.0.0.0:8080, --sources=/etc/s.yaml]",
      "does not define the flag --sources"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [catalog]\nenv: [{name: PGHOST, value: db}]",
      "the image needs the variable PGDATABASE"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [catalog]\nenv: [{name: PGHOST, value: a}, {name: PGDATABASE, value: b}, {name: PGUSER, value: c}, {name: PGPASSWORD, value: d}]\nports: [{name: http, containerPort: 8080}]\nreadinessProbe: {httpGet: {path: /readyz/health, port: http}}",
      "readinessProbe asks for /readyz/health, which the image does not serve on port 8080"
    ),
    ("image: ghcr.io/kubeflow/model-registry/server:v0.3.0\nargs: [proxy]", "is tagged v0.3.0, the pin is v0.3.8"),
    ("image: postgres\nargs: []", "is not pinned to an exact version"),
    (
      "image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [proxy, --embedmd-database-type=postgresql]",
      "is not one of mysql, postgres"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [proxy, '--embedmd-database-dsn=$(DSN)']",
      "$(DSN) names no variable"
    ),
    ("image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [serve]", "'serve' is not a command"),
    (
      "image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [proxy]\nenv: [{name: MR_DSN, value: x}]",
      "MR_DSN names no flag"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/controller:v0.3.8\nargs: [--leader-elect]",
      "the image needs the variable INFERENCE_SERVICE_CONTROLLER"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/controller:v0.3.8\nargs: [--health-probe-bind-address=:9000]\nlivenessProbe: {httpGet: {path: /healthz, port: 8081}}",
      "livenessProbe asks port 8081, where the image does not listen"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/storage-initializer:v0.3.8\nenv: [{name: MR_BASE_URL, value: x}, {name: MODEL_REGISTRY_URL, value: y}]",
      "the image does not read MODEL_REGISTRY_URL"
    ),
    (
      "image: ghcr.io/kubeflow/model-registry/ui:v0.3.8\nargs: [--port=8080, --auth-method=token]",
      "--auth-method=token is not one of internal, user_token"
    ),
    ("image: ghcr.io/kubeflow/model-registry/server:v0.3.8\nargs: [proxy, '--']", "does not define the flag --"),
  ])
  func catchesWhatPastTreesGotWrong(container: String, expected: String) throws {
    let text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n"
      + container.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n") + "\n"
    let object = try #require(try Parser().parse(text, file: "row.yaml").first?.mapping)
    let violations = RenderedTree(resources: [
      Resource(object: object, source: Mark(file: "row.yaml", line: 1, column: 1))
    ]).contractViolations(Contracts.all)
    #expect(violations.contains { $0.contains(expected) }, "\(violations)")
  }

  @Test func everyExampleKeepsTheContracts() throws {
    let examples = try FileManager.default.contentsOfDirectory(atPath: Tree.root + "/examples").sorted()
    for example in examples {
      var builder = Builder()
      let rendered = RenderedTree(resources: try builder.build(Tree.root + "/examples/" + example).resources)
      #expect(!rendered.containers.isEmpty, "\(example)")
      #expect(rendered.contractViolations(Contracts.all) == [], "\(example)")
    }
  }

  @Test func theTreeAsItIsBreaksNoContract() throws {
    var builder = Builder()
    let rendered = RenderedTree(resources: try builder.build(Tree.overlay("postgres")).resources)
    // The overlay alone runs the registry and its database: one container each.
    #expect(rendered.containers.map { $0.spec.string("name") ?? "" }.count == 2)
    #expect(rendered.containers.contains { $0.spec.string("image")?.contains("model-registry/server") == true })
    #expect(rendered.contractViolations(Contracts.all) == [])
  }
}
