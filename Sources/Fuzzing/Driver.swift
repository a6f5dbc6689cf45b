#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a fuzz target's executable does: hand one property to libFuzzer
/// (in the fuzz build, `-D FUZZING`), or replay kept inputs against it.
public enum FuzzDriver {
  public typealias Check = @Sendable ([UInt8]) -> String?

  /// Runs each input file once; the exit status is the number of failures, capped at 1.
  public static func replay(_ paths: some Sequence<String>, _ check: Check) -> Int32 {
    var failures = 0
    for path in paths {
      guard let bytes = readFile(path) else {
        print("\(path): cannot read")
        failures += 1
        continue
      }
      if let failure = check(bytes) {
        print("\(path): \(failure)")
        failures += 1
      }
    }
    return failures == 0 ? 0 : 1
  }

  /// Replays the files named on the command line and exits with `replay`'s status.
  public static func replayArguments(_ check: Check) -> Never {
    exit(replay(CommandLine.arguments.dropFirst(), check))
  }

  static func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count == 0 { break }
      bytes.append(contentsOf: buffer[0..<count])
    }
    return bytes
  }

  #if FUZZING
    /// The property libFuzzer's callback checks (its callback is a C function, so it cannot capture).
    nonisolated(unsafe) static var property: Check?

    @_silgen_name("LLVMFuzzerRunDriver")
    static func runDriver(
      _ argc: UnsafeMutablePointer<Int32>,
      _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// Hands `check` to libFuzzer's driver; a failed check ends the run with the failure (a crash libFuzzer keeps).
    public static func fuzz(
      _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ check: @escaping Check
    ) -> Int32 {
      property = check
      var count = argc
      var arguments = argv
      return runDriver(&count, &arguments) { data, size in
        guard let data, let property = FuzzDriver.property else { return 0 }
        if let failure = property(Array(UnsafeBufferPointer(start: data, count: size))) { fatalError(failure) }
        return 0
      }
    }
  #endif
}
