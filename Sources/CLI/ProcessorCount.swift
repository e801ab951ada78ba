import Foundation

enum ProcessorCount {
    static var online: Int { ProcessInfo.processInfo.activeProcessorCount }
}
