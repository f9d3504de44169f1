"""Domain queries: who holds which responsibility. Each query has one Cypher implementation
(Neo4j) and one embedded implementation (NetworkX), returning the same pydantic models; the
contract tests in ``tests/graph/queries`` run every query on both stores."""
