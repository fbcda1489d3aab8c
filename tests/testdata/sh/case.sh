# case with patterns, alternatives, quoting, and fall-out
for f in main.c notes.txt Makefile a.out x; do
	case $f in
	*.c) echo "$f: C source" ;;
	*.txt | *.md) echo "$f: text" ;;
	[A-Z]*) echo "$f: capitalised" ;;
	?.*) echo "$f: short" ;;
	*) echo "$f: other"
	esac
done
v='*'
case x in "$v") echo no ;; $v) echo "unquoted variable is a pattern" ;; esac
case '*' in "*") echo "quoted star is a star" ;; esac
case abc in (a*) echo "leading paren" ;; esac
case z in a) echo no ;; esac
echo "no match: $?"
case [x] in \[*\]) echo "escaped brackets" ;; esac
case b in [!a]) echo "negated set" ;; esac
