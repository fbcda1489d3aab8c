// Command hello is the first WebAssembly program mkos runs: it greets,
// then shows its arguments, the value of $USER and its working directory.
package main

import (
	"fmt"
	"os"
)

func main() {
	wd, _ := os.Getwd()
	fmt.Printf("hello from WebAssembly on mkos\n")
	fmt.Printf("args: %q\n", os.Args[1:])
	fmt.Printf("user: %s, cwd: %s\n", os.Getenv("USER"), wd)
}
