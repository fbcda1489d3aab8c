package layout

import (
	"bytes"
	"encoding/binary"
)

// Dirent is one 64-byte directory entry. Ino 0 marks a free entry.
type Dirent struct {
	Ino  uint32
	Type uint8 // unix.DT_REG, DT_DIR, DT_LNK
	Name string
}

// Encode writes the entry into b (DirentSize bytes).
func (e *Dirent) Encode(b []byte) {
	clear(b[:DirentSize])
	binary.LittleEndian.PutUint32(b, e.Ino)
	b[4] = byte(len(e.Name))
	b[5] = e.Type
	copy(b[6:DirentSize], e.Name)
}

// DecodeDirent reads the entry in b (DirentSize bytes). A name length
// beyond NameMax is cut to NameMax; CheckName finds such entries.
func DecodeDirent(b []byte) Dirent {
	n := min(int(b[4]), NameMax)
	return Dirent{Ino: binary.LittleEndian.Uint32(b), Type: b[5], Name: string(b[6 : 6+n])}
}

// NameLen returns the stored name length of the entry in b, unchecked.
func NameLen(b []byte) int { return int(b[4]) }

// CheckName reports whether name may be stored in a directory entry: not
// empty, at most NameMax bytes, without '/' or NUL. "." and ".." pass; the
// callers decide where they may appear.
func CheckName(name string) bool {
	return name != "" && len(name) <= NameMax && !bytes.ContainsAny([]byte(name), "/\x00")
}
