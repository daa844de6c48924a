"""Model layer: what the app learns from the flights, pure scikit-learn with no Streamlit."""
