package linux

// Open flags of open(2), as on Linux x86 and the generic ABI.
const (
	O_RDONLY    = 0x0
	O_WRONLY    = 0x1
	O_RDWR      = 0x2
	O_ACCMODE   = 0x3
	O_CREAT     = 0x40
	O_EXCL      = 0x80
	O_TRUNC     = 0x200
	O_APPEND    = 0x400
	O_DIRECTORY = 0x10000
	O_NOFOLLOW  = 0x20000
)

// File types and mode bits of stat(2)'s st_mode.
const (
	S_IFMT   = 0xf000
	S_IFIFO  = 0x1000
	S_IFCHR  = 0x2000
	S_IFDIR  = 0x4000
	S_IFBLK  = 0x6000
	S_IFREG  = 0x8000
	S_IFLNK  = 0xa000
	S_IFSOCK = 0xc000
	S_ISUID  = 0x800
	S_ISGID  = 0x400
	S_ISVTX  = 0x200
)

// Directory-entry types of getdents(2)'s d_type.
const (
	DT_UNKNOWN = 0x0
	DT_FIFO    = 0x1
	DT_CHR     = 0x2
	DT_DIR     = 0x4
	DT_BLK     = 0x6
	DT_REG     = 0x8
	DT_LNK     = 0xa
	DT_SOCK    = 0xc
)

// Seek origins of lseek(2).
const (
	SEEK_SET = 0
	SEEK_CUR = 1
	SEEK_END = 2
)

// Options of wait4(2).
const (
	WNOHANG = 0x1
)
