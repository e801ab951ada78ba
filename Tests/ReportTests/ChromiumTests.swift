import Foundation
import Testing

@testable import Report

/// Opens `report.html` in headless Chromium (Debian's `chromium`): the page must load without a console message or
/// script error, its script must run to the end, and a screenshot is saved (in the test's temporary folder, and
/// copied to `$FAULTLINE_SCREENSHOT_DIR` when that is set).
///
/// Without Chromium the test is skipped, unless `FAULTLINE_REQUIRE_CHROMIUM=1` (as in CI), where it fails.
/// `FAULTLINE_CHROMIUM` names the browser binary when it is not `chromium`, `chromium-browser` or `google-chrome`
/// on the `PATH`.
@Suite(.serialized)
struct ChromiumTests {
    static let environment = ProcessInfo.processInfo.environment
    static var required: Bool { environment["FAULTLINE_REQUIRE_CHROMIUM"] == "1" }

    /// The browser binary, if there is one.
    static var browser: String? {
        if let explicit = environment["FAULTLINE_CHROMIUM"], !explicit.isEmpty { return explicit }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return folder + "/" + name
            }
        }
        return nil
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// Runs the browser with `arguments`, killing it after `timeout` seconds.
    static func run(_ browser: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = arguments
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-chromium-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files, not pipes: Chromium can write more than a pipe buffer while we wait.
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                timedOut = true
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut: timedOut)
    }

    /// Flags for a root user in a container without a display or a D-Bus session.
    static func commonFlags(profile: URL) -> [String] {
        [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile.path,
        ]
    }

    @Test(
        .enabled(if: browser != nil || required, "chromium is not installed (set FAULTLINE_REQUIRE_CHROMIUM=1 to fail)")
    )
    func reportLoadsWithoutConsoleErrorsAndIsScreenshotted() throws {
        guard let browser = Self.browser else {
            Issue.record(
                "FAULTLINE_REQUIRE_CHROMIUM=1 but no chromium was found; install it with apt-get install chromium")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent("report.html")
        try Data(HTMLReport.render(HTMLFixture.result).utf8).write(to: page)
        let pageURL = page.absoluteString

        // 1. Load the page, log the console to stderr, and dump the DOM after the script has run.
        let load = try Self.run(
            browser,
            Self.commonFlags(profile: folder.appendingPathComponent("profile-dom"))
                + ["--enable-logging=stderr", "--v=0", "--dump-dom", pageURL])
        #expect(!load.timedOut, "chromium did not finish loading the page")
        #expect(load.status == 0, "chromium exited with \(load.status): \(load.stderr.suffix(2000))")
        let consoleLines = load.stderr.split(separator: "\n").filter {
            $0.contains(":CONSOLE") || $0.contains("Uncaught")
        }
        #expect(consoleLines.isEmpty, "console output:\n\(consoleLines.joined(separator: "\n"))")
        #expect(load.stdout.contains("data-faultline-ready=\"true\""), "the page's script did not run to the end")
        #expect(!load.stdout.contains("data-faultline-errors=\""), "script errors were recorded")
        #expect(load.stdout.contains("Where does the model fail?"))
        #expect(load.stdout.components(separatedBy: "<svg").count - 1 == HTMLReport.charts(HTMLFixture.result).count)

        // 2. A screenshot of the first 2000 pixels.
        let screenshot = folder.appendingPathComponent("report.png")
        let shot = try Self.run(
            browser,
            Self.commonFlags(profile: folder.appendingPathComponent("profile-shot"))
                + ["--screenshot=" + screenshot.path, "--window-size=1280,2000", pageURL])
        #expect(!shot.timedOut && shot.status == 0, "screenshot failed: \(shot.stderr.suffix(2000))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(png.count > 20_000, "the screenshot is suspiciously small (\(png.count) bytes): a blank page?")
        if let target = Self.environment["FAULTLINE_SCREENSHOT_DIR"], !target.isEmpty {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            let destination = URL(fileURLWithPath: target).appendingPathComponent("report-fixture.png")
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.copyItem(at: screenshot, to: destination)
        }
    }
}
