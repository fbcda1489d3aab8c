# here-documents: expanded, quoted delimiter, <<- strips tabs
name=world
cat <<EOF
hello $name
sum $((1 + 1))
  indented stays
EOF
cat <<'EOF'
not $expanded `here`
EOF
cat <<-END
	tabs removed
	  only tabs
	END
while read line; do echo "read: $line"; done <<EOF
first
second
EOF
cat <<A; cat <<B
from a
A
from b
B
tr a-z A-Z <<EOF
upper $name
EOF
