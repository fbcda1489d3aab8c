package ostepfs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mkos/mkos/lab/osteptool"
)

// parentOf is getParent: the directory holding path.
func parentOf(path string) string {
	parts := strings.Split(path, "/")
	if len(parts) == 2 {
		return "/"
	}
	return strings.Join(parts[:len(parts)-1], "/")
}

// join is the script's parent + name, without a double slash at the root.
func join(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// doAppend writes one block to a random file (a file has at most one).
func (f *vsfs) doAppend() bool {
	if len(f.files) == 0 {
		return false
	}
	file := f.files[f.pick(len(f.files))]
	data := string(rune('a' + f.pick(26)))
	in := &f.inodes[f.nameToInum[file]]
	if in.addr != -1 {
		return false
	}
	b := alloc(f.dbitmap)
	if b == -1 {
		return false
	}
	f.data[b] = vsfsBlock{ftype: "f", data: data}
	in.addr = b
	if f.printOps {
		fmt.Fprintf(f.out, "fd=open(\"%s\", O_WRONLY|O_APPEND); write(fd, buf, BLOCKSIZE); close(fd);\n", file)
	}
	f.ops = append(f.ops, vsfsOp{kind: "write", path: file, target: data})
	return true
}

// doDelete unlinks a random file: its inode and block are freed with its
// last link.
func (f *vsfs) doDelete() (bool, error) {
	if len(f.files) == 0 {
		return false, nil
	}
	file := f.files[f.pick(len(f.files))]
	if f.printOps {
		fmt.Fprintf(f.out, "unlink(\"%s\");\n", file)
	}
	inum := f.nameToInum[file]
	in := &f.inodes[inum]
	ftype := in.ftype
	if in.refCnt == 1 {
		if in.addr != -1 {
			f.dbitmap[in.addr] = false
			f.data[in.addr] = vsfsBlock{ftype: "free"}
		}
		f.ibitmap[inum] = false
		in.ftype, in.addr = "free", -1
	} else {
		in.refCnt--
	}
	pinum := f.nameToInum[parentOf(file)]
	if ftype == "d" {
		f.inodes[pinum].refCnt--
	}
	pblk := &f.data[f.inodes[pinum].addr]
	name := file[strings.LastIndex(file, "/")+1:]
	i := slices.IndexFunc(pblk.entries, func(e vsfsEntry) bool { return e.name == name })
	if i < 0 {
		return false, osteptool.PyError("AssertionError")
	}
	pblk.entries = slices.Delete(pblk.entries, i, i+1)
	f.files = slices.Delete(f.files, slices.Index(f.files, file), slices.Index(f.files, file)+1)
	f.ops = append(f.ops, vsfsOp{kind: "unlink", path: file})
	return true, nil
}

// doLink makes a hard link to a random file in a random directory.
func (f *vsfs) doLink() bool {
	if len(f.files) == 0 {
		return false
	}
	parent := f.dirs[f.pick(len(f.dirs))]
	name := f.makeName()
	target := f.files[f.pick(len(f.files))]
	pblk := &f.data[f.inodes[f.nameToInum[parent]].addr]
	if len(pblk.entries) >= vsfsDirEntries || pblk.has(name) {
		return false
	}
	tinum := f.nameToInum[target]
	f.inodes[tinum].refCnt++
	pblk.entries = append(pblk.entries, vsfsEntry{name, tinum})
	full := join(parent, name)
	f.files = append(f.files, full)
	f.nameToInum[full] = tinum
	if f.printOps {
		fmt.Fprintf(f.out, "link(\"%s\", \"%s\");\n", target, full)
	}
	f.ops = append(f.ops, vsfsOp{kind: "link", path: full, target: target})
	return true
}

// doCreate creates a file or directory ("f" or "d") in a random
// directory; a directory gets its block, with "." and "..", at once.
func (f *vsfs) doCreate(ftype string) bool {
	parent := f.dirs[f.pick(len(f.dirs))]
	name := f.makeName()
	pinum := f.nameToInum[parent]
	pblk := &f.data[f.inodes[pinum].addr]
	if len(pblk.entries) >= vsfsDirEntries || pblk.has(name) {
		return false
	}
	inum := alloc(f.ibitmap)
	if inum == -1 {
		return false
	}
	in := vsfsInode{ftype, -1, 1}
	if ftype == "d" {
		b := alloc(f.dbitmap)
		if b == -1 {
			f.ibitmap[inum] = false
			f.inodes[inum] = vsfsInode{"free", -1, f.inodes[inum].refCnt}
			return false
		}
		f.data[b] = vsfsBlock{ftype: "d", entries: []vsfsEntry{{".", inum}, {"..", pinum}}}
		in = vsfsInode{"d", b, 2}
		f.inodes[pinum].refCnt++
	}
	f.inodes[inum] = in
	pblk = &f.data[f.inodes[pinum].addr]
	pblk.entries = append(pblk.entries, vsfsEntry{name, inum})
	full := join(parent, name)
	shown := parent
	if parent == "/" {
		shown = ""
	}
	kind := "creat"
	if ftype == "d" {
		kind = "mkdir"
		f.dirs = append(f.dirs, full)
	} else {
		f.files = append(f.files, full)
	}
	f.nameToInum[full] = inum
	if f.printOps {
		fmt.Fprintf(f.out, "%s(\"%s/%s\");\n", kind, shown, name)
	}
	f.ops = append(f.ops, vsfsOp{kind: kind, path: full})
	return true
}
