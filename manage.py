#!/usr/bin/env python
from xanh.cli import main

if __name__ == "__main__":
    main()
