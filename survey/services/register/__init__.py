"""The business unit's register: companies (one by one or imported) and visits."""
