# if, elif, else; conditions are lists; the status of if
if true; then echo one; fi
if false; then echo no; elif true; then echo two; else echo no; fi
if false; then echo no; elif false; then echo no; else echo three; fi
if false
then
	echo no
fi
echo "status after if with no branch: $?"
if true; false; then echo no; else echo "last command decides"; fi
if ! false; then echo negated; fi
x=5
if [ $x -gt 3 ] && [ $x -lt 10 ]; then echo "$x is between"; fi
if test -n ""; then echo no; else echo empty string; fi
