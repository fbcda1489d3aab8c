package boot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML decoder reports bad values by line ("line 3: cannot unmarshal
// !!str `two` into int"); people think in keys. These helpers name the key.

var (
	lineRef    = regexp.MustCompile(`line (\d+): `)
	unknownKey = regexp.MustCompile(`field \S+ not found in type \S+`)
	badType    = regexp.MustCompile("cannot unmarshal !!\\w+ `([^`]*)` into (\\S+)")
)

// nameKeys rewrites each "line N: " in a decoder error as "KEY (line N): ",
// finding the key on that line of the document.
func nameKeys(data []byte, msg string) string {
	msg = unknownKey.ReplaceAllString(msg, "unknown key")
	msg = badType.ReplaceAllString(msg, "$1 is not a valid $2")
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return msg
	}
	return lineRef.ReplaceAllStringFunc(msg, func(m string) string {
		n, _ := strconv.Atoi(lineRef.FindStringSubmatch(m)[1])
		if key := keyAt(&root, n, ""); key != "" {
			return fmt.Sprintf("%s (line %d): ", key, n)
		}
		return m
	})
}

// keyAt returns the dotted path of the key written on line, or "".
func keyAt(n *yaml.Node, line int, path string) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if k := keyAt(c, line, path); k != "" {
				return k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(path+"."+k.Value, ".")
			if k.Line == line && (v.Kind == yaml.ScalarNode || v.Line == line) {
				return p
			}
			if key := keyAt(v, line, p); key != "" {
				return key
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if key := keyAt(c, line, fmt.Sprintf("%s[%d]", path, i)); key != "" {
				return key
			}
		}
	}
	return ""
}
