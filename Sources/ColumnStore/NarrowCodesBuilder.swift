/// Builds a column of `UInt32` codes appended a run at a time, held at the narrowest width (1, 2 or 4 bytes) that
/// every code so far fits: string codes given in first-seen order, whose largest is below the count of distinct
/// strings. A column of a few hundred categories then takes a byte a row, not four.
///
/// ```
/// width 1: [UInt8]  --a code >= 256-->  width 2: [UInt16]  --a code >= 65,536-->  width 4: [UInt32]
/// ```
/// Each widening converts the codes so far once, so a column is converted at most twice.
package struct _NarrowCodesBuilder {
    private var bytes = ContiguousArray<UInt8>()
    private var halves = ContiguousArray<UInt16>()
    private var words = ContiguousArray<UInt32>()
    /// Bytes per code held now.
    package private(set) var width = 1
    /// The rows the column will have (reserved at each width).
    private let capacity: Int

    package init(reservingCapacity rows: Int) {
        capacity = rows
        bytes.reserveCapacity(rows)
    }

    /// The number of codes appended.
    package var count: Int {
        switch width {
        case 1: bytes.count
        case 2: halves.count
        default: words.count
        }
    }

    /// The bytes a code takes when every code is below `bound`: 1, 2 or 4.
    package static func width(forCodesBelow bound: Int) -> Int {
        bound <= 1 << 8 ? 1 : bound <= 1 << 16 ? 2 : 4
    }

    /// `codes`, each below `bound`, at the width that needs: the array itself when that is four bytes, else a
    /// narrow copy.
    package static func narrowed(_ codes: ContiguousArray<UInt32>, below bound: Int) -> ColumnBuffer<UInt32> {
        guard width(forCodesBelow: bound) < 4 else { return ColumnBuffer(codes) }
        var builder = _NarrowCodesBuilder(reservingCapacity: codes.count)
        builder.append(codes.span, below: bound)
        return builder.build()
    }

    /// Appends `codes`, each below `bound` (the count of distinct codes given so far).
    package mutating func append(_ codes: Span<UInt32>, below bound: Int) {
        let needed = Self.width(forCodesBelow: bound)
        if needed > width { widen(to: needed) }
        switch width {
        case 1:
            for index in codes.indices { bytes.append(UInt8(truncatingIfNeeded: codes[index])) }
        case 2:
            for index in codes.indices { halves.append(UInt16(truncatingIfNeeded: codes[index])) }
        default:
            for index in codes.indices { words.append(codes[index]) }
        }
    }

    private mutating func widen(to newWidth: Int) {
        if newWidth == 2 {
            halves.reserveCapacity(capacity)
            halves.append(contentsOf: bytes.lazy.map { UInt16($0) })
        } else {
            words.reserveCapacity(capacity)
            if width == 1 {
                words.append(contentsOf: bytes.lazy.map { UInt32($0) })
            } else {
                words.append(contentsOf: halves.lazy.map { UInt32($0) })
            }
        }
        bytes = []
        halves = newWidth == 2 ? halves : []
        width = newWidth
    }

    /// The codes, at the width they are held (four-byte codes as they are, narrower ones read widened).
    package consuming func build() -> ColumnBuffer<UInt32> {
        switch width {
        case 1: ColumnBuffer(narrow: bytes)
        case 2: ColumnBuffer(narrow: halves)
        default: ColumnBuffer(words)
        }
    }
}
