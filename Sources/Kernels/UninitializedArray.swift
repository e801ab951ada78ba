extension Array {
    /// `init(unsafeUninitializedCapacity:initializingWith:)`, except that for a capacity of 0 `body` runs on an empty
    /// buffer and the result is `[]`. The standard initialiser writes the count of an empty array into the runtime's
    /// one shared empty storage, which ThreadSanitizer reports as a race when two threads make empty arrays at once.
    @unsafe
    @inline(__always)
    init(
        writingCapacity capacity: Int,
        _ body: (inout UnsafeMutableBufferPointer<Element>, inout Int) throws -> Void
    ) rethrows {
        guard capacity == 0 else {
            self = try unsafe Array(unsafeUninitializedCapacity: capacity, initializingWith: body)
            return
        }
        var empty = unsafe UnsafeMutableBufferPointer<Element>(start: nil, count: 0)
        var initialized = 0
        try unsafe body(&empty, &initialized)
        precondition(initialized == 0, "elements written past the capacity")
        self = []
    }
}
