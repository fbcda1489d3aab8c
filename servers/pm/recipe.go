package pm

import (
	"encoding/json"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Recipes: a program's body as data. pm spawns every program with a body
// it makes itself (body, wrap.go) — a Go function, which a pm in a host
// process (process placement) cannot hand the kernel. So each spawn also
// says how the body was made (ipc.TaskSpec.Recipe): the program's path,
// its argv and environment, and the pid and token it attaches as. The
// proxy of a pm process makes the same body again with MakeBody, from the
// program registry it holds.

// RecipeMaker is the maker name of pm's program bodies (ipc.Recipe.Maker).
const RecipeMaker = "pm.program"

// programRecipe is a recipe's argument.
type programRecipe struct {
	Pid   int      `json:"pid"`
	Token uint64   `json:"token"`
	Name  string   `json:"name"`
	Path  string   `json:"path"`
	Argv  []string `json:"argv"`
	Env   []string `json:"env"`
	File  bool     `json:"file,omitempty"` // the Loader's program, not the registry's
}

// recipe returns the recipe of the body that runs path as process c;
// file says the program came from the Loader.
func recipe(c *proc, path string, argv, env []string, file bool) *ipc.Recipe {
	arg, _ := json.Marshal(programRecipe{Pid: c.Pid, Token: c.Token, Name: c.Name, Path: path, Argv: argv, Env: env, File: file}) // plain data always encodes
	return &ipc.Recipe{Maker: RecipeMaker, Arg: arg}
}

// MakeBody makes the body a recipe of RecipeMaker describes, with the
// program registry programs, or for a program pm's Loader found in a file,
// with fromFile (which may be nil: then such a recipe is an error): the
// very body pm makes in its own spawn. An argument that does not decode,
// or names a program the registry lacks, is an error.
func MakeBody(programs map[string]pmproto.Program, fromFile func(path string) pmproto.Program, arg []byte) (func(ipc.Sys), error) {
	var r programRecipe
	if err := json.Unmarshal(arg, &r); err != nil {
		return nil, fmt.Errorf("%s recipe: %w", RecipeMaker, err)
	}
	if r.File && fromFile != nil {
		return body(r.Pid, r.Token, r.Name, fromFile(r.Path), r.Argv, r.Env), nil
	}
	prog, ok := programs[r.Path]
	if !ok || r.File {
		return nil, fmt.Errorf("%s recipe: no program %q", RecipeMaker, r.Path)
	}
	return body(r.Pid, r.Token, r.Name, prog, r.Argv, r.Env), nil
}
