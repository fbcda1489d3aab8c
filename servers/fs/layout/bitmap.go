package layout

// Bitmaps hold bit i of a region in byte i/8 of block i/BitsPerBlock of the
// region, least significant bit first.

// BitmapBlock returns the block (relative to the bitmap's start) and the
// bit index within it that hold bit i.
func BitmapBlock(i uint32) (uint32, int) { return i / BitsPerBlock, int(i % BitsPerBlock) }

// BitGet reports whether bit i of the bitmap block b is set.
func BitGet(b []byte, i int) bool { return b[i/8]&(1<<(i%8)) != 0 }

// BitSet sets bit i of b.
func BitSet(b []byte, i int) { b[i/8] |= 1 << (i % 8) }

// BitClear clears bit i of b.
func BitClear(b []byte, i int) { b[i/8] &^= 1 << (i % 8) }
