# Waits for a keyboard that is not there.
print("ATTEMPT input")
name = input("What is your name? ")
print("hello", name)
