/// A typed, immutable buffer of fixed-width column values.
///
/// Storage is owned (a contiguous array) today; the type hides that so a memory-mapped
/// variant can back the same API. Raw access is only through the closure-scoped
/// `withUnsafeBufferPointer(_:)`: the pointer must not escape the closure.
public struct ColumnBuffer<Element: BitwiseCopyable & Sendable>: Sendable {
    @usableFromInline
    internal let storage: ContiguousArray<Element>

    /// Creates a buffer that owns `values`.
    public init(_ values: ContiguousArray<Element>) {
        self.storage = values
    }

    /// Creates a buffer that owns a copy of `values`.
    public init(_ values: [Element]) {
        self.storage = ContiguousArray(values)
    }

    /// The number of values.
    public var count: Int { storage.count }

    /// The value at `index`. Bounds-checked.
    public subscript(index: Int) -> Element { storage[index] }

    /// Calls `body` with a pointer to the contiguous values.
    ///
    /// - Warning: do not escape the pointer from the closure.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        try unsafe storage.withUnsafeBufferPointer { (buffer) throws(E) -> R in try unsafe body(buffer) }
    }

    /// The values as an array (a copy for mapped storage; free for owned storage).
    public var array: ContiguousArray<Element> { storage }
}
