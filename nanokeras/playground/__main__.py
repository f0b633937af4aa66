"""`python -m nanokeras.playground`: starts the playground and opens it in the browser."""

from nanokeras.playground.show import main

if __name__ == "__main__":
    main()
